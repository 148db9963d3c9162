import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatAmount, phaseText, progressReporter } from './progress.js';

/** A fake terminal: a writable stream that says it is a TTY and records what was written. */
function fakeTty(): { stream: NodeJS.WriteStream; text: () => string } {
  const s = new PassThrough();
  let out = '';
  s.on('data', (b: Buffer) => {
    out += b.toString();
  });
  Object.assign(s, { isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { stream: s as unknown as NodeJS.WriteStream, text: () => out };
}

describe('progress', () => {
  it('formats counts with separators and sizes with units', () => {
    expect(formatAmount(1234567)).toBe('1,234,567');
    expect(formatAmount(512, 'bytes')).toBe('512 B');
    expect(formatAmount(20480, 'rows')).toBe('20,480 rows');
    expect(formatAmount(47.3 * 2 ** 20, 'bytes')).toBe('47.3 MB');
    expect(formatAmount(105 * 2 ** 20, 'bytes')).toBe('105 MB');
    expect(formatAmount(2.5 * 2 ** 30, 'bytes')).toBe('2.5 GB');
  });

  it('names the file being read by its base name', () => {
    expect(phaseText({ phase: 'read', done: 0, label: '/data/x/prices.csv.gz' })).toBe('read prices.csv.gz');
    expect(phaseText({ phase: 'fit', done: 0 })).toBe('fit');
  });

  it('is silent when the stream is not a terminal', () => {
    const s = new PassThrough();
    let out = '';
    s.on('data', (b: Buffer) => {
      out += b.toString();
    });
    const r = progressReporter(true, s as unknown as NodeJS.WriteStream);
    r.update({ phase: 'read', done: 1, total: 2 });
    r.stop();
    expect(out).toBe('');
  });

  it('shows the file, the amount read with its unit and the elapsed time on a terminal', () => {
    const prev = process.env.CI;
    delete process.env.CI;
    try {
      const { stream, text } = fakeTty();
      const r = progressReporter(true, stream);
      r.update({ phase: 'read', label: 'dir/prices.csv', done: 10 * 2 ** 20, total: 100 * 2 ** 20, unit: 'bytes' });
      r.update({ phase: 'read', label: 'dir/prices.csv', done: 50 * 2 ** 20, total: 100 * 2 ** 20, unit: 'bytes' });
      r.update({ phase: 'fitting 523 assets', done: 0 });
      r.update({ phase: 'fit', done: 1200 });
      r.stop();
      const t = text();
      expect(t).toContain('read prices.csv');
      expect(t).toContain('10.0 MB / 100 MB');
      expect(t).toMatch(/\d+s/);
      expect(t).toContain('fit ... 1,200 |');
      expect(t).toMatch(/fitting 523 assets \.\.\. \| \d/);
    } finally {
      if (prev !== undefined) process.env.CI = prev;
    }
  });
});

describe('--quiet', () => {
  it('takeQuiet removes --quiet before a -- and says so; setQuiet silences the reporter on a TTY', async () => {
    const { takeQuiet } = await import('./run.js');
    expect(takeQuiet(['node', 'f', 'exposures', '--quiet', '--prices', 'p.csv'])).toEqual({
      rest: ['node', 'f', 'exposures', '--prices', 'p.csv'],
      quiet: true,
    });
    expect(takeQuiet(['node', 'f', 'inspect', 'x.csv'])).toEqual({ rest: ['node', 'f', 'inspect', 'x.csv'], quiet: false });
    expect(takeQuiet(['node', 'f', 'inspect', '--', '--quiet'])).toEqual({ rest: ['node', 'f', 'inspect', '--', '--quiet'], quiet: false });
    const { progressReporter, setQuiet } = await import('./progress.js');
    const tty = { isTTY: true, write: () => true, columns: 80 } as unknown as NodeJS.WriteStream;
    const saved = process.env.CI;
    delete process.env.CI;
    try {
      setQuiet(true);
      const r = progressReporter(true, tty);
      setQuiet(false);
      const loud = progressReporter(true, tty);
      const silent = progressReporter(false, tty);
      expect(r).toBe(silent);
      expect(loud).not.toBe(silent);
      loud.stop();
    } finally {
      if (saved !== undefined) process.env.CI = saved;
      setQuiet(false);
    }
  });
});
