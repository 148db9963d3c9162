/**
 * The reports' layout in chromium at a desktop width (1280 px) and a phone width (390 px), on a
 * twelve-year demo market (long time axes in half-width charts) and on the same market with
 * hostile asset names (`<script>`, `&`, quotes, a 160-character name, CJK): the page is never
 * wider than the window, every chart fits its box (redrawn narrower on a phone and when the window
 * shrinks), no two axis labels touch, names are text (never markup) and a long one does not push
 * the numbers of its row out of sight.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/commands/demo.js';
import { launch, openWatched, type Browser } from './browser.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const LONG = 'VERYLONGNAME_' + 'X'.repeat(150);
const HOSTILE: Record<string, string> = {
  A001: '<script>alert(1)</script>',
  A002: 'AT&T',
  A003: LONG,
  A004: '中国平安',
  A005: 'O\'Reilly "Q"',
};
/** Charts drawn as a grid of small multiples (fixed cell width): they scroll sideways on a phone instead. */
const FACETS = new Set(['densities']);

let browser: Browser;
let dir: string;

function cli(args: string[]): void {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`factorlab ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
}

const csvField = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  dir = mkdtempSync(join(tmpdir(), 'factorlab-report-layout-'));
  await runDemo({ out: dir, seed: 3, assets: 40, days: 252 * 12, json: true });
  // the same prices with hostile names for the first five assets
  const [head, ...rest] = readFileSync(join(dir, 'prices.csv'), 'utf8').split('\n');
  const renamed = head
    .split(',')
    .map((a) => csvField(HOSTILE[a] ?? a))
    .join(',');
  writeFileSync(join(dir, 'hostile-prices.csv'), [renamed, ...rest].join('\n'));
  // twelve factors: the demo's six and six more (long legends)
  const [fhead, ...frows] = readFileSync(join(dir, 'factors.csv'), 'utf8').trim().split('\n');
  const more = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'];
  writeFileSync(
    join(dir, 'factors12.csv'),
    [
      `${fhead},${more.join(',')}`,
      ...frows.map(
        (l, t) =>
          `${l},${more.map((_, k) => (0.001 * Math.sin(t * (k + 1.3)) + 0.0005 * Math.cos(t * 0.7 * (k + 2))).toFixed(6)).join(',')}`,
      ),
    ].join('\n') + '\n',
  );
  cli([
    'rolling',
    '--prices',
    join(dir, 'hostile-prices.csv'),
    '--factors',
    join(dir, 'factors12.csv'),
    '--clean',
    '--weights',
    'equal',
    '--window',
    '126',
    '--portfolio-regression',
    '--start',
    '2025-01-01',
    '--report',
    join(dir, 'hostile-exposures.html'),
  ]);
  // a backtest of the last few rows only: a time axis two days long
  const last = rest.filter((l) => l.trim() !== '').map((l) => l.slice(0, 10));
  cli([
    'backtest',
    '--prices',
    join(dir, 'prices.csv'),
    '--factor',
    join(dir, 'signal.csv'),
    '--start',
    last[last.length - 3],
    '--schedule',
    'daily',
    '--top',
    '5',
    '--report',
    join(dir, 'short-backtest.html'),
  ]);
  browser = await launch();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Layout {
  pageWidth: number;
  windowWidth: number;
  /** Charts whose drawing is wider than their box: "id: drawing > box". */
  wideCharts: string[];
  /** Axis labels of a chart that touch or overlap a neighbour. */
  touching: string[];
  /** Legend entries cut off by the edge of their chart. */
  clippedLegends: string[];
}

async function layout(page: Page): Promise<Layout> {
  return page.evaluate<Layout>(`(() => {
    const wideCharts = [], touching = [], clippedLegends = [];
    document.querySelectorAll('[data-chart]').forEach((el) => {
      if (el.closest('[hidden]')) return;
      const id = el.getAttribute('data-chart'), svg = el.querySelector('svg');
      const edge = Math.min(el.getBoundingClientRect().right, svg ? svg.getBoundingClientRect().right : Infinity);
      el.querySelectorAll('g.role-legend-label text').forEach((t) => {
        if (t.getBoundingClientRect().right > edge + 1) clippedLegends.push(id + ': ' + t.textContent);
      });
      if (svg && svg.getBoundingClientRect().width > el.clientWidth + 1) wideCharts.push(id + ': ' + Math.round(svg.getBoundingClientRect().width) + ' > ' + el.clientWidth);
      el.querySelectorAll('g.role-axis-label').forEach((g) => {
        const boxes = [...g.querySelectorAll('text')]
          .filter((t) => t.textContent && t.getAttribute('opacity') !== '0' && getComputedStyle(t).opacity !== '0')
          .map((t) => ({ text: t.textContent, b: t.getBoundingClientRect() }));
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i].b, b = boxes[j].b;
            const gapX = Math.max(b.left - a.right, a.left - b.right), gapY = Math.max(b.top - a.bottom, a.top - b.bottom);
            if (gapX < 2 && gapY < -Math.min(a.height, b.height) / 2) touching.push(id + ': ' + boxes[i].text + ' | ' + boxes[j].text);
          }
      });
    });
    return { pageWidth: document.documentElement.scrollWidth, windowWidth: window.innerWidth, wideCharts, touching, clippedLegends };
  })()`);
}

const without = (ids: string[]): string[] => ids.filter((s) => !FACETS.has(s.split(':')[0]));

describe.each(['backtest.html', 'tearsheet.html', 'exposures.html', 'hostile-exposures.html'])('%s laid out in chromium', (file) => {
  it.each([1280, 390])(
    'at %i px: no wider than the window, every chart fits its box, no axis labels touch',
    async (width) => {
      const { page, blocked, errors } = await openWatched(browser.context, pathToFileURL(join(dir, file)).href, { width, height: 900 });
      try {
        expect(blocked).toEqual([]);
        expect(errors).toEqual([]);
        const l = await layout(page);
        expect(l.pageWidth).toBeLessThanOrEqual(l.windowWidth);
        expect(without(l.wideCharts)).toEqual([]);
        expect(l.touching).toEqual([]);
        expect(l.clippedLegends).toEqual([]);
      } finally {
        await page.close();
      }
    },
    180_000,
  );
});

describe('a report opened wide, then the window narrowed', () => {
  it('redraws its charts to the new width', async () => {
    const { page, errors } = await openWatched(browser.context, pathToFileURL(join(dir, 'backtest.html')).href, {
      width: 1280,
      height: 900,
    });
    try {
      expect((await layout(page)).wideCharts).toEqual([]);
      await page.setViewportSize({ width: 390, height: 900 });
      await expect.poll(async () => (await layout(page)).wideCharts, { timeout: 10_000 }).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);
});

describe('hostile asset names', () => {
  it('are shown as text, and a long one does not push its row’s numbers out of sight', async () => {
    const { page, errors } = await openWatched(browser.context, pathToFileURL(join(dir, 'hostile-exposures.html')).href, {
      width: 1280,
      height: 900,
    });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    try {
      const t = page.locator('[data-table="assets"]');
      const cells = await t.locator('tbody tr td:first-child').allInnerTexts();
      for (const name of Object.values(HOSTILE)) if (name !== LONG) expect(cells).toContain(name);
      expect(await t.locator('b').count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      // the long name is cut with an ellipsis (its full text in the cell's title); the next column stays in the box
      const long = t.locator(`td[title="${LONG}"]`);
      expect(await long.count()).toBe(1);
      const box = await t.locator('.fl-scroll').boundingBox();
      const obs = await t.locator('th', { hasText: 'obs' }).boundingBox();
      const cell = await long.boundingBox();
      expect(box && obs && cell).toBeTruthy();
      if (box && obs && cell) {
        expect(obs.x + obs.width).toBeLessThanOrEqual(box.x + box.width);
        expect(cell.height).toBeLessThan(40);
      }
    } finally {
      await page.close();
    }
  }, 180_000);
});

describe('a backtest a few days long', () => {
  it('labels its time axes with dates only (no made-up time of day between two dates)', async () => {
    const { page, errors } = await openWatched(browser.context, pathToFileURL(join(dir, 'short-backtest.html')).href, {
      width: 1280,
      height: 900,
    });
    try {
      expect(errors).toEqual([]);
      const labels = await page.evaluate<string[]>(
        `[...document.querySelectorAll('[data-chart] g.role-axis-label text')].map((t) => t.textContent)`,
      );
      expect(labels.length).toBeGreaterThan(10);
      expect(labels.filter((t) => /\d:\d\d|\b(AM|PM)\b/.test(t))).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);
});
