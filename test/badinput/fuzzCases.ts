/**
 * The seeded generator of the CLI fuzz test (fuzz.test.ts): small valid inputs (8 assets × 150
 * weekdays), one command, and one or two mutations of one input file or one flag. A case is a pure
 * function of its seed, so a failing case is reproduced from the printed seed alone.
 */
import { gzipSync } from 'node:zlib';
import { weekdays } from './helpers.js';

/** mulberry32: a small, fast, well-mixed seeded generator of numbers in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const int = (r: Rng, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)];
const normal = (r: Rng): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

export const ASSETS = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF', 'GGG', 'HHH'] as const;
export const DAYS = weekdays('2019-01-01', 150);

/** An input file: its name in the run's input folder and its content. */
export interface InputFile {
  name: string;
  data: string | Buffer;
}

export interface Case {
  seed: number;
  command: string;
  /** the arguments, with `{in}/` and `{out}/` standing for the run's input and output folders */
  args: string[];
  files: InputFile[];
  /** the outputs the arguments name (relative to the output folder) */
  outputs: string[];
  /** what was done to the valid inputs, for the failure message */
  mutations: string[];
  /**
   * set when the mutation must be refused (exit 2): a value no reader may take as a number, a
   * duplicated row; exit 0 is then a silent number
   */
  mustRefuse?: string;
  /**
   * set when every mutation only changes how the same data is written (BOM, CRLF, delimiter,
   * quotes, row order, blank lines, gzip): the run must give the numbers of the unmutated files
   */
  neutral: boolean;
}

/** Mutations that write the same data another way (see {@link Case.neutral}). */
const NEUTRAL = new Set([
  'BOM',
  'CRLF',
  'semicolons',
  'tabs',
  'quoted',
  'shuffle rows',
  'swap two rows',
  'dates reversed',
  'no final newline',
  'blank lines',
]);

// ---------------------------------------------------------------- valid inputs

function round(x: number, d: number): string {
  return x.toFixed(d);
}

interface Base {
  pricesWide: string;
  pricesLong: string;
  factors: string;
  signalLong: (k: number) => string;
  signalWide: (k: number) => string;
  groups: string;
  weightsStatic: string;
  weightsPanel: string;
  membership: string;
  returnsWide: string;
}

function base(r: Rng): Base {
  const f = DAYS.map(() => [0.01 * normal(r), 0.005 * normal(r), 0.005 * normal(r)]);
  const beta = ASSETS.map(() => [0.6 + 0.8 * r(), normal(r) * 0.5, normal(r) * 0.5]);
  const p = ASSETS.map(() => 20 + 100 * r());
  const prices: number[][] = [];
  const rets: number[][] = [];
  DAYS.forEach((_, t) => {
    const ret = ASSETS.map((_, j) =>
      t === 0 ? 0 : 0.0001 + beta[j][0] * f[t][0] + beta[j][1] * f[t][1] + beta[j][2] * f[t][2] + 0.01 * normal(r),
    );
    if (t > 0) for (let j = 0; j < ASSETS.length; j++) p[j] *= 1 + ret[j];
    prices.push([...p]);
    rets.push(ret);
  });
  const pricesWide =
    [`date,${ASSETS.join(',')}`, ...DAYS.map((d, t) => `${d},${prices[t].map((x) => round(x, 4)).join(',')}`)].join('\n') + '\n';
  const pricesLong =
    ['date,ticker,close', ...DAYS.flatMap((d, t) => ASSETS.map((a, j) => `${d},${a},${round(prices[t][j], 4)}`))].join('\n') + '\n';
  const returnsWide =
    [`date,${ASSETS.join(',')}`, ...DAYS.slice(1).map((d, t) => `${d},${rets[t + 1].map((x) => round(x, 6)).join(',')}`)].join('\n') + '\n';
  const factors =
    ['date,mkt_rf,smb,hml,rf', ...DAYS.map((d, t) => `${d},${f[t].map((x) => round(x, 6)).join(',')},0.000100`)].join('\n') + '\n';
  const sig = [0, 1].map(() => DAYS.map(() => ASSETS.map(() => normal(r))));
  const signalLong = (k: number): string =>
    ['date,asset,value', ...DAYS.flatMap((d, t) => ASSETS.map((a, j) => `${d},${a},${round(sig[k][t][j], 5)}`))].join('\n') + '\n';
  const signalWide = (k: number): string =>
    [`date,${ASSETS.join(',')}`, ...DAYS.map((d, t) => `${d},${sig[k][t].map((x) => round(x, 5)).join(',')}`)].join('\n') + '\n';
  const groupsOf = ['Tech', 'Tech', 'Tech', 'Energy', 'Energy', 'Energy', 'Fin', 'Fin'];
  const groups = ['asset,group', ...ASSETS.map((a, j) => `${a},${groupsOf[j]}`)].join('\n') + '\n';
  const w = ASSETS.map(() => 0.5 + r());
  const sw = w.reduce((s, x) => s + x, 0);
  const weightsStatic = ['asset,weight', ...ASSETS.map((a, j) => `${a},${round(w[j] / sw, 6)}`)].join('\n') + '\n';
  const monthStarts = DAYS.filter((d, t) => t === 0 || d.slice(5, 7) !== DAYS[t - 1].slice(5, 7));
  const weightsPanel =
    [
      'date,asset,weight',
      ...monthStarts.flatMap((d) => ASSETS.map((a, j) => `${d},${a},${round((w[j] * (0.8 + 0.4 * r())) / sw, 6)}`)),
    ].join('\n') + '\n';
  const membership =
    ['ticker,start,end', ...ASSETS.map((a, j) => `${a},${j < 6 ? '2018-01-01' : DAYS[40]},${j === 7 ? DAYS[120] : ''}`)].join('\n') + '\n';
  return { pricesWide, pricesLong, factors, signalLong, signalWide, groups, weightsStatic, weightsPanel, membership, returnsWide };
}

// ---------------------------------------------------------------- commands

interface Plan {
  command: string;
  args: string[];
  files: InputFile[];
  outputs: string[];
}

/** The inputs a command takes beyond its base invocation: one of them, on some cases. */
function withExtras(p: Plan, r: Rng, b: Base): Plan {
  if (r() >= 0.35) return p;
  const add = (flags: string[], files: InputFile[]): Plan => ({ ...p, args: [...p.args, ...flags], files: [...p.files, ...files] });
  const alpha: InputFile = {
    name: 'alpha.csv',
    data: ['asset,value', ...ASSETS.map((a, j) => `${a},${(0.001 * (j - 3.5)).toFixed(4)}`)].join('\n') + '\n',
  };
  const target: InputFile = {
    name: 'target.csv',
    data:
      [
        'date,value',
        ...b.returnsWide
          .split('\n')
          .slice(1)
          .filter((l) => l !== '')
          .map((l) => {
            const c = l.split(',');
            return `${c[0]},${((Number(c[1]) + Number(c[2])) / 2).toFixed(6)}`;
          }),
      ].join('\n') + '\n',
  };
  const industry: InputFile = { name: 'industry.csv', data: 'group,weight\nTech,0.5\nEnergy,0.3\nFin,0.2\n' };
  const F: InputFile = { name: 'factors.csv', data: b.factors };
  const WP: InputFile = { name: 'weights_panel.csv', data: b.weightsPanel };
  const bench: InputFile = {
    name: 'bench.csv',
    data: b.pricesWide
      .split('\n')
      .map((l) => l.split(',').slice(0, 2).join(','))
      .join('\n'),
  };
  switch (p.command) {
    case 'optimize':
      return r() < 0.5
        ? add(['--alpha', '{in}/alpha.csv'], [alpha])
        : add(['--current', '{in}/alpha.csv', '--turnover', '2'], [{ ...alpha, data: b.weightsStatic }]);
    case 'replicate': {
      const k = p.args.indexOf('--target-weights');
      const args = [...p.args.slice(0, k), ...p.args.slice(k + 2), '--target-returns', '{in}/target.csv', '--exposure-tolerance', '0.5'];
      return { ...p, args, files: [...p.files.filter((f) => f.name !== 'weights.csv'), target] };
    }
    case 'backtest':
      if (p.args.includes('industry-neutral') && r() < 0.5) return add(['--industry-weights', '{in}/industry.csv'], [industry]);
      return r() < 0.5
        ? add(['--factors', '{in}/factors.csv', '--exposure-window', '40'], [F])
        : add(['--benchmark', '{in}/bench.csv'], [bench]);
    case 'analyze':
      return add(['--weights', '{in}/weights_panel.csv'], [WP]);
    default:
      return p;
  }
}

function plan(r: Rng, b: Base, command: string, reportSource: string | undefined): Plan {
  return withExtras(basePlan(r, b, command, reportSource), r, b);
}

function basePlan(r: Rng, b: Base, command: string, reportSource: string | undefined): Plan {
  const long = r() < 0.3;
  const P: InputFile = { name: long ? 'prices_long.csv' : 'prices.csv', data: long ? b.pricesLong : b.pricesWide };
  const F: InputFile = { name: 'factors.csv', data: b.factors };
  const sLong = r() < 0.5;
  const S: InputFile = { name: 'signal.csv', data: sLong ? b.signalLong(0) : b.signalWide(0) };
  const S2: InputFile = { name: 'signal2.csv', data: r() < 0.5 ? b.signalLong(1) : b.signalWide(1) };
  const G: InputFile = { name: 'groups.csv', data: b.groups };
  const W: InputFile = { name: 'weights.csv', data: b.weightsStatic };
  const WP: InputFile = { name: 'weights_panel.csv', data: b.weightsPanel };
  const M: InputFile = { name: 'membership.csv', data: b.membership };
  const i = (f: InputFile): string => `{in}/${f.name}`;
  switch (command) {
    case 'inspect':
      return { command, args: ['inspect', i(P), '--out', '{out}/panel.csv'], files: [P], outputs: ['panel.csv'] };
    case 'exposures': {
      const asReturns = r() < 0.2;
      const X: InputFile = asReturns ? { name: 'returns.csv', data: b.returnsWide } : P;
      return {
        command,
        args: [
          'exposures',
          asReturns ? '--returns' : '--prices',
          i(X),
          '--factors',
          i(F),
          '--out',
          '{out}/fit.json',
          '--residuals',
          '{out}/res.csv',
        ],
        files: [X, F],
        outputs: ['fit.json', 'res.csv'],
      };
    }
    case 'rolling': {
      const Wx = r() < 0.5 ? WP : W;
      return {
        command,
        args: ['rolling', '--prices', i(P), '--factors', i(F), '--weights', i(Wx), '--window', '60', '--out', '{out}/roll.csv'],
        files: [P, F, Wx],
        outputs: ['roll.csv'],
      };
    }
    case 'analyze':
      return {
        command,
        args: [
          'analyze',
          '--factor',
          i(S),
          '--prices',
          i(P),
          '--groups',
          i(G),
          '--horizons',
          '1,5',
          '--quantiles',
          '3',
          '--out',
          '{out}/a.json',
        ],
        files: [S, P, G],
        outputs: ['a.json'],
      };
    case 'combine':
      return {
        command,
        args: [
          'combine',
          '--factor',
          i(S),
          '--factor',
          i(S2),
          '--prices',
          i(P),
          '--method',
          'ic',
          '--window',
          '20',
          '--out',
          '{out}/c.csv',
          '--weights-out',
          '{out}/cw.csv',
        ],
        files: [S, S2, P],
        outputs: ['c.csv', 'cw.csv'],
      };
    case 'optimize':
      return {
        command,
        args: [
          'optimize',
          '--prices',
          i(P),
          '--factors',
          i(F),
          '--benchmark',
          i(W),
          '--groups',
          i(G),
          '--max-weight',
          '0.4',
          '--out',
          '{out}/o.json',
        ],
        files: [P, F, W, G],
        outputs: ['o.json'],
      };
    case 'replicate':
      return {
        command,
        args: [
          'replicate',
          '--prices',
          i(P),
          '--factors',
          i(F),
          '--fit-end',
          DAYS[100],
          '--target-weights',
          i(W),
          '--max-names',
          '4',
          '--out',
          '{out}/r.json',
        ],
        files: [P, F, W],
        outputs: ['r.json'],
      };
    case 'backtest': {
      const groups = r() < 0.3;
      return {
        command,
        args: [
          'backtest',
          '--prices',
          i(P),
          '--factor',
          i(S),
          ...(groups ? ['--rule', 'industry-neutral', '--quantiles', '2', '--groups', i(G)] : ['--rule', 'top-n', '--top', '3']),
          '--schedule',
          'weekly',
          '--membership',
          i(M),
          '--cost-bps',
          '5',
          '--out',
          '{out}/b.json',
          '--nav-out',
          '{out}/nav.csv',
        ],
        files: groups ? [P, S, G, M] : [P, S, M],
        outputs: ['b.json', 'nav.csv'],
      };
    }
    case 'zoo':
      return {
        command,
        args: ['zoo', '--prices', i(P), i(S), i(S2), '--horizons', '1,5', '--table', '{out}/z.csv'],
        files: [P, S, S2],
        outputs: ['z.csv'],
      };
    case 'exposures-zoo': {
      const W2: InputFile = { name: 'weights2.csv', data: b.weightsPanel };
      return {
        command,
        args: ['exposures-zoo', '--prices', i(P), '--factors', i(F), i(W), i(W2), '--table', '{out}/ez.csv'],
        files: [P, F, W, W2],
        outputs: ['ez.csv'],
      };
    }
    case 'report': {
      const R: InputFile = { name: 'result.json', data: reportSource ?? '{}' };
      return { command, args: ['report', i(R), '--out', '{out}/r.html'], files: [R], outputs: ['r.html'] };
    }
    default:
      throw new Error(`unknown command ${command}`);
  }
}

export const COMMANDS = [
  'inspect',
  'exposures',
  'rolling',
  'analyze',
  'combine',
  'optimize',
  'replicate',
  'backtest',
  'zoo',
  'exposures-zoo',
  'report',
] as const;

// ---------------------------------------------------------------- mutations of a CSV text

/** Cell values that must never become a number. */
const REFUSE_TOKENS = ['abc', '-', '#DIV/0!', '1.2.3', '0x10', '1_000', 'inf', '-Infinity', '1e400', '5%', 'n/a?', 'TRUE', '12abc'];
/** Cell values that are legitimate (missing, or a number) or whose refusal depends on the column. */
const OTHER_TOKENS = [
  '',
  'NaN',
  'NA',
  'null',
  '-1',
  '0',
  '1e308',
  '1e-300',
  '123456789012',
  '"1.5"',
  '" 2.5 "',
  '"1,234.5"',
  '1,5',
  '-0',
  '+3',
  '.5',
  '5.',
  '1e5',
  '-1e-12',
];

type TextMutation = (lines: string[], r: Rng, file: string) => { lines: string[]; desc: string; refuse?: string } | undefined;

/** A random data line (never the header, never a trailing empty line). */
function dataRow(lines: string[], r: Rng): number {
  let n = lines.length;
  while (n > 1 && lines[n - 1].trim() === '') n--;
  return 1 + int(r, Math.max(1, n - 1));
}
const split = (l: string): string[] => l.split(',');

const cellToken: TextMutation = (lines, r) => {
  if (lines.length < 2) return undefined;
  const row = dataRow(lines, r);
  const cells = split(lines[row]);
  if (cells.length < 2) return undefined;
  const refuse = r() < 0.45;
  const token = refuse ? pick(r, REFUSE_TOKENS) : pick(r, OTHER_TOKENS);
  const col = 1 + int(r, cells.length - 1);
  cells[col] = token;
  const numeric = !/^(asset|ticker|group|start|end)$/i.test(split(lines[0])[col] ?? '');
  const out = [...lines];
  out[row] = cells.join(',');
  return {
    lines: out,
    desc: `cell line ${row + 1} column ${col + 1} := ${JSON.stringify(token)}`,
    refuse: refuse && numeric ? `the value ${token}` : undefined,
  };
};

const dateCell: TextMutation = (lines, r) => {
  if (lines.length < 2) return undefined;
  const row = dataRow(lines, r);
  const cells = split(lines[row]);
  const at = cells.findIndex((c) => /^\d{4}-\d{2}-\d{2}$/.test(c));
  if (at < 0) return undefined;
  const d = cells[at];
  const [y, m, dd] = d.split('-');
  const variants = [
    `${dd}/${m}/${y}`,
    `${m}/${dd}/${y}`,
    `${y}-02-30`,
    `${y}-13-01`,
    `${d}T00:00:00+05:00`,
    `${d}Z`,
    'yesterday',
    '',
    `${y}${m}${dd}`,
    `${d} 00:00:00`,
    '2019-1-5',
  ];
  const v = pick(r, variants);
  cells[at] = v;
  const out = [...lines];
  out[row] = cells.join(',');
  return { lines: out, desc: `date line ${row + 1} := ${JSON.stringify(v)}` };
};

const MUTATIONS: [string, TextMutation][] = [
  ['cell', cellToken],
  ['cell', cellToken],
  ['cell', cellToken],
  ['date', dateCell],
  ['date', dateCell],
  [
    'drop row',
    (l, r) => {
      if (l.length < 3) return undefined;
      const i = dataRow(l, r);
      return { lines: l.filter((_, k) => k !== i), desc: `line ${i + 1} dropped` };
    },
  ],
  [
    'duplicate row',
    (l, r, file) => {
      if (l.length < 2) return undefined;
      const i = dataRow(l, r);
      const small = /^(groups|membership)/.test(file);
      return {
        lines: [...l.slice(0, i + 1), l[i], ...l.slice(i + 1)],
        desc: `line ${i + 1} duplicated`,
        refuse: small ? undefined : 'a duplicated row',
      };
    },
  ],
  [
    'shuffle rows',
    (l, r) => {
      const body = l.slice(1);
      for (let i = body.length - 1; i > 0; i--) {
        const j = int(r, i + 1);
        [body[i], body[j]] = [body[j], body[i]];
      }
      return { lines: [l[0], ...body], desc: 'data rows shuffled' };
    },
  ],
  [
    'swap two rows',
    (l, r) => {
      if (l.length < 4) return undefined;
      const i = dataRow(l, r),
        j = dataRow(l, r);
      const o = [...l];
      [o[i], o[j]] = [o[j], o[i]];
      return { lines: o, desc: `lines ${i + 1} and ${j + 1} swapped` };
    },
  ],
  [
    'truncate',
    (l, r) => {
      const text = l.join('\n');
      const at = int(r, text.length);
      return { lines: text.slice(0, at).split('\n'), desc: `cut after ${at} characters` };
    },
  ],
  [
    'rename header',
    (l, r) => {
      const h = split(l[0]);
      const c = int(r, h.length);
      h[c] = pick(r, ['x', '', 'Date', 'DATE', 'value ', h[(c + 1) % h.length], 'close', 'weight', 'rf', 'RF', 'asset']);
      return { lines: [h.join(','), ...l.slice(1)], desc: `header := ${h.join(',')}` };
    },
  ],
  ['remove header', (l) => ({ lines: l.slice(1), desc: 'header removed' })],
  [
    'duplicate header',
    (l, r) => {
      const i = dataRow(l, r);
      return { lines: [...l.slice(0, i), l[0], ...l.slice(i)], desc: `header repeated at line ${i + 1}` };
    },
  ],
  [
    'remove column',
    (l, r) => {
      const n = split(l[0]).length;
      const c = int(r, n);
      return {
        lines: l.map((x) =>
          x === ''
            ? x
            : split(x)
                .filter((_, k) => k !== c)
                .join(','),
        ),
        desc: `column ${c + 1} removed`,
      };
    },
  ],
  [
    'add column',
    (l, r) => {
      const v = pick(r, ['1', 'x', '', '0.5']);
      return { lines: l.map((x, k) => (x === '' ? x : `${x},${k === 0 ? 'extra' : v}`)), desc: `column extra=${v} added` };
    },
  ],
  [
    'all dates identical',
    (l) => {
      const d0 = split(l[1] ?? '')[0];
      return { lines: l.map((x, k) => (k === 0 || x === '' ? x : [d0, ...split(x).slice(1)].join(','))), desc: 'every date := first date' };
    },
  ],
  [
    'dates reversed',
    (l) => ({
      lines: [
        l[0],
        ...l
          .slice(1)
          .filter((x) => x !== '')
          .reverse(),
        '',
      ],
      desc: 'data rows in reverse order',
    }),
  ],
  [
    'dates shifted',
    (l, r) => {
      const years = pick(r, [-30, -1, 1, 30]);
      return {
        lines: l.map((x, k) => (k === 0 || x === '' ? x : x.replace(/^(\d{4})/, (y) => String(Number(y) + years)))),
        desc: `every date shifted ${years} years`,
      };
    },
  ],
  ['BOM', (l) => ({ lines: [`\ufeff${l[0]}`, ...l.slice(1)], desc: 'BOM' })],
  ['CRLF', (l) => ({ lines: l.map((x) => (x.endsWith('\r') ? x : `${x}\r`)), desc: 'CRLF' })],
  ['semicolons', (l) => ({ lines: l.map((x) => x.replaceAll(',', ';')), desc: 'semicolon delimiter' })],
  ['tabs', (l) => ({ lines: l.map((x) => x.replaceAll(',', '\t')), desc: 'tab delimiter' })],
  ['empty', () => ({ lines: [], desc: 'empty file' })],
  ['header only', (l) => ({ lines: [l[0], ''], desc: 'header only' })],
  ['one row', (l) => ({ lines: [l[0], l[1] ?? '', ''], desc: 'one data row' })],
  ['two rows', (l) => ({ lines: [l[0], l[1] ?? '', l[2] ?? '', ''], desc: 'two data rows' })],
  ['one column', (l) => ({ lines: l.map((x) => split(x)[0]), desc: 'only the first column' })],
  [
    'constant',
    (l) => ({
      lines: l.map((x, k) =>
        k === 0 || x === ''
          ? x
          : split(x)
              .map((c, j) => (j === 0 || !/^-?[\d.]+(e-?\d+)?$/.test(c) ? c : '1.5'))
              .join(','),
      ),
      desc: 'every number := 1.5',
    }),
  ],
  [
    'one asset',
    (l) => {
      const h = split(l[0]);
      if (h.length > 3) return { lines: l.map((x) => (x === '' ? x : split(x).slice(0, 2).join(','))), desc: 'first value column only' };
      // long: keep the rows of the first asset
      const first = split(l[1] ?? '')[1];
      return { lines: l.filter((x, k) => k === 0 || x === '' || split(x)[1] === first), desc: `only asset ${first}` };
    },
  ],
  [
    'scaled x100',
    (l) => ({
      lines: l.map((x, k) =>
        k === 0 || x === ''
          ? x
          : split(x)
              .map((c, j) => (j === 0 || !/^-?\d/.test(c) ? c : String(Number(c) * 100)))
              .join(','),
      ),
      desc: 'every number × 100',
    }),
  ],
  [
    'returns-like',
    (l) => ({
      lines: l.map((x, k) =>
        k === 0 || x === ''
          ? x
          : split(x)
              .map((c, j) => (j === 0 || !/^-?\d/.test(c) ? c : String(Number((Number(c) / 1000 - 0.05).toFixed(6)))))
              .join(','),
      ),
      desc: 'every number := x/1000 − 0.05 (returns-like, some negative)',
    }),
  ],
  [
    'quoted',
    (l) => ({
      lines: l.map((x) =>
        x === ''
          ? x
          : split(x)
              .map((c) => `"${c}"`)
              .join(','),
      ),
      desc: 'every cell quoted',
    }),
  ],
  [
    'sparse',
    (l, r) => {
      const share = pick(r, [0.3, 0.7, 0.95]);
      return {
        lines: l.map((x, k) =>
          k === 0 || x === ''
            ? x
            : split(x)
                .map((c, j) => (j === 0 || !/^-?\d/.test(c) || r() >= share ? c : ''))
                .join(','),
        ),
        desc: `${share * 100}% of the numbers blanked`,
      };
    },
  ],
  [
    'extreme column',
    (l, r) => {
      const n = split(l[0]).length;
      const c = 1 + int(r, Math.max(1, n - 1));
      const f = pick(r, [1e300, 1e-300, 1e15, -1]);
      return {
        lines: l.map((x, k) =>
          k === 0 || x === ''
            ? x
            : split(x)
                .map((v, j) => (j === c && /^-?\d/.test(v) ? String(Number(v) * f) : v))
                .join(','),
        ),
        desc: `column ${c + 1} × ${f}`,
      };
    },
  ],
  [
    'asset name',
    (l, r) => {
      const name = pick(r, ['', ' AAA', 'NA', 'aaa', 'BBB', '"X,Y"', 'Ünï', '123', 'date']);
      const h = split(l[0]);
      if (h.length > 3 && !/^(ticker|asset)$/i.test(h[1])) {
        const c = 1 + int(r, h.length - 1);
        h[c] = name;
        return { lines: [h.join(','), ...l.slice(1)], desc: `asset column ${c + 1} named ${JSON.stringify(name)}` };
      }
      const i = dataRow(l, r);
      const cells = split(l[i]);
      if (cells.length < 2) return undefined;
      cells[1] = name;
      const o = [...l];
      o[i] = cells.join(',');
      return { lines: o, desc: `asset on line ${i + 1} := ${JSON.stringify(name)}` };
    },
  ],
  [
    'blank lines',
    (l, r) => {
      const i = dataRow(l, r);
      return { lines: [...l.slice(0, i), '', '', ...l.slice(i)], desc: `blank lines at ${i + 1}` };
    },
  ],
  [
    'spaces line',
    (l, r) => {
      const i = dataRow(l, r);
      return { lines: [...l.slice(0, i), '  ', ...l.slice(i)], desc: `a line of two spaces at ${i + 1}` };
    },
  ],
  ['no final newline', (l) => ({ lines: l.join('\n').replace(/\n+$/, '').split('\n'), desc: 'no final newline' })],
];

// ---------------------------------------------------------------- flag mutations

const FLAG_EDGES: Record<string, [string, string[]][]> = {
  inspect: [
    ['--max-findings', ['0', '-1', 'x']],
    ['--kind', ['returns', 'weird']],
    ['--layout', ['long', 'wide']],
  ],
  exposures: [
    ['--min-obs', ['0', '1', '3', '100000']],
    ['--newey-west', ['0', '1', '149', '1000', '-1']],
    ['--l1', ['-1', '0', '1e9', 'x']],
    [
      '--start',
      [
        '2030-01-01',
        '2019-13-01',
        'soon',
        `${DAYS[100]} --end ${DAYS[50]}`,
        `${DAYS[60]} --end ${DAYS[60]}`,
        `${DAYS[60]} --end ${DAYS[64]}`,
      ],
    ],
    ['--newey-west', ['3 --l1 0.001', '3 --clean']],
    ['--end', ['2000-01-01', DAYS[3]]],
    ['--factor-scale', ['0', '-1', '100', '0.01']],
    ['--rf-col', ['none', 'nope']],
    ['--factor-cols', ['mkt_rf', 'nope', 'mkt_rf,mkt_rf', '']],
    ['--resample', ['monthly', 'weekly', 'yearly']],
    ['--limit', ['0', '-3']],
  ],
  rolling: [
    ['--window', ['0', '1', '3', '4', '149', '150', '100000', '-5', '2.5']],
    ['--min-obs', ['0', '1', '1000']],
    ['--weights-max-age', ['0', '-1', '1000']],
    ['--rows', ['0', '-1']],
    ['--start', [DAYS[120], `${DAYS[100]} --end ${DAYS[50]}`]],
    ['--end', [DAYS[10]]],
    ['--fill', ['none', 'ffill', 'bogus']],
    ['--portfolio-regression', ['--renormalize']],
  ],
  analyze: [
    ['--horizons', ['0', '1', '149', '150', '1000', '-1', '1,1', 'x', '']],
    ['--quantiles', ['1', '2', '8', '9', '1000', '0']],
    ['--min-assets', ['1', '2', '8', '9', '100']],
    ['--execution-lag', ['0', '-1', '200']],
    ['--decay', ['0', '200', '-1']],
    ['--max-loss', ['0', '1', '-0.1', '2']],
    ['--bins', ['1', '2', '1000']],
    ['--quantile-edges', ['0,0.5,1', '0.5', '1,0', '0,0.5,0.5,1']],
    ['--ic-threshold', ['1', '-0.1', '0.99']],
    ['--periods-per-year', ['0', '-1', '1e9']],
    ['--by-group', ['--by-group', '--by-group --quantiles 4']],
    ['--group-adjust', ['--group-adjust', '--controls', '--zscore']],
    ['--sample', ['weekly', 'monthly', 'yearly']],
    ['--as-of', ['month-end', 'weekly', 'nope']],
    ['--bin-edges', ['-1,0,1', '1,0', '0']],
    ['--zero-aware', ['--zero-aware']],
    ['--universe', ['joint', 'per-horizon', 'nope']],
  ],
  combine: [
    ['--window', ['0', '1', '2', '1000', '-1']],
    ['--horizon', ['0', '1', '149', '150', '1000']],
    ['--min-periods', ['0', '1', '1000']],
    ['--method', ['equal', 'icir', 'nope']],
    ['--execution-lag', ['0', '-1', '200']],
  ],
  optimize: [
    ['--max-weight', ['0', '0.01', '1', '-1', '2']],
    ['--min-weight', ['0.5', '-1']],
    ['--budget', ['0', '-1', '1e9']],
    ['--max-names', ['0', '1', '-1', '100']],
    ['--turnover', ['0', '-1']],
    ['--tracking-error', ['0', '-0.1', '1e-9']],
    ['--risk-aversion', ['0', '-1']],
    ['--half-life', ['0', '-1', '1e9']],
    ['--covariance', ['ewma', 'sample', 'nope']],
    ['--start', [DAYS[148], `${DAYS[100]} --end ${DAYS[50]}`]],
    ['--long-short', ['--long-short']],
    ['--exposure', ['mkt_rf=0.5:0.6', 'mkt_rf=2:1', 'nope=0:1', 'mkt_rf=x']],
    ['--group-band', ['Tech=0:0.1', 'Nope=0:0.1', 'Tech=0.9:1']],
    ['--group-neutral', ['--group-neutral']],
  ],
  replicate: [
    ['--fit-end', [DAYS[0], DAYS[2], DAYS[149], '2030-01-01', '2000-01-01']],
    ['--max-names', ['0', '1', '-1', '100']],
    ['--max-weight', ['0', '0.01', '-1']],
    ['--exposure-tolerance', ['0', '-1']],
    ['--min-position', ['0.5', '2', '-1']],
    ['--start', [`${DAYS[100]} --end ${DAYS[50]}`, DAYS[99]]],
    ['--covariance', ['sample', 'ewma --half-life 0']],
  ],
  backtest: [
    ['--top', ['0', '-1', '1', '8', '9', '100']],
    ['--quantiles', ['1', '2', '1000']],
    ['--cost-bps', ['-5', '0', '1e9', 'x']],
    ['--execution-lag', ['0', '1', '200']],
    ['--schedule', ['daily', 'monthly', 'month-end', 'weekly:sun', 'weekly:xyz', 'never']],
    ['--start', [DAYS[140], '2030-01-01', `${DAYS[100]} --end ${DAYS[50]}`, `${DAYS[100]} --end ${DAYS[101]}`]],
    [
      '--rule',
      [
        'top-quantile --quantiles 3',
        'long-short --quantiles 3',
        'topk-dropout --n-drop 1',
        'inverse-vol --vol-lookback 10',
        'inverse-vol --vol-lookback 0',
        'topk-dropout --n-drop -1',
      ],
    ],
    ['--benchmark', ['equal']],
    ['--min-cost', ['5', '-5']],
    ['--end', [DAYS[5], '2000-01-01']],
    ['--max-gap', ['0', '-1']],
    ['--signal-max-age', ['0', '-1']],
    ['--capital', ['0', '-1']],
    ['--periods-per-year', ['0', '-1']],
  ],
  zoo: [
    ['--horizons', ['0', '149', '1000']],
    ['--quantiles', ['1', '1000']],
    ['--min-assets', ['1', '100']],
    ['--threads', ['0', '-1', '100']],
    ['--sort', ['nope']],
  ],
  'exposures-zoo': [
    ['--min-obs', ['0', '1', '100000']],
    ['--weights-max-age', ['-1', '0']],
    ['--newey-west', ['0', '1000']],
    ['--start', [DAYS[149]]],
    ['--sort', ['nope']],
  ],
  report: [],
};

// ---------------------------------------------------------------- report source mutations

const JSON_MUTATIONS: [string, (t: string, r: Rng) => string][] = [
  ['cut', (t, r) => t.slice(0, int(r, t.length))],
  ['empty', () => ''],
  [
    'junk number',
    (t, r) => {
      const ms = [...t.matchAll(/-?\d+\.\d+/g)];
      if (!ms.length) return t;
      const m = pick(r, ms);
      return t.slice(0, m.index) + pick(r, ['"abc"', 'null', '1e400', 'NaN', '[]', '{}']) + t.slice((m.index ?? 0) + m[0].length);
    },
  ],
  ['array', () => '[]'],
  [
    'key removed',
    (t, r) => {
      try {
        const o = JSON.parse(t) as Record<string, unknown>;
        const k = pick(r, Object.keys(o));
        delete o[k];
        return JSON.stringify(o);
      } catch {
        return t;
      }
    },
  ],
  [
    'key null',
    (t, r) => {
      try {
        const o = JSON.parse(t) as Record<string, unknown>;
        const k = pick(r, Object.keys(o));
        o[k] = null;
        return JSON.stringify(o);
      } catch {
        return t;
      }
    },
  ],
  [
    'key string',
    (t, r) => {
      try {
        const o = JSON.parse(t) as Record<string, unknown>;
        const k = pick(r, Object.keys(o));
        o[k] = 'x';
        return JSON.stringify(o);
      } catch {
        return t;
      }
    },
  ],
];

// ---------------------------------------------------------------- a case

/** The case of `seed`; `reportSource` is a valid result JSON for the `report` command. */
export function makeCase(seed: number, reportSource?: string, onlyCommand?: string, mutate = true): Case {
  const r = seeded(seed);
  const b = base(r);
  const command = onlyCommand ?? pick(r, COMMANDS);
  const p = plan(r, b, command, reportSource);
  const files = p.files.map((f) => ({ ...f }));
  let args = [...p.args];
  const mutations: string[] = [];
  let mustRefuse: string | undefined;
  let neutral = true;

  const nMut = !mutate ? 0 : ((x) => (x < 0.7 ? 1 : x < 0.9 ? 2 : 3))(r());
  for (let m = 0; m < nMut; m++) {
    const roll = r();
    if (command === 'report') {
      const [name, fn] = pick(r, JSON_MUTATIONS);
      const f = files[0];
      f.data = fn(String(f.data), r);
      mutations.push(`${f.name}: ${name}`);
      neutral = false;
      continue;
    }
    const flags = FLAG_EDGES[command];
    if (roll < 0.25 && flags.length) {
      const [flag, values] = pick(r, flags);
      const v = pick(r, values);
      // a value may carry further flags: "2019-06-03 --end 2019-03-01"
      // (a value starting with -- is switches to add: "--by-group --quantiles 4")
      const [value, ...more] = v === '' ? [''] : v.split(' ');
      const at = args.indexOf(flag);
      if (value.startsWith('--')) args = [...args, value];
      else if (at >= 0) args[at + 1] = value;
      else args = [...args, flag, value];
      for (let k = 0; k < more.length; k++) {
        const i = args.indexOf(more[k]);
        if (more[k].startsWith('--') && i >= 0 && k + 1 < more.length && !more[k + 1].startsWith('--')) {
          args[i + 1] = more[++k];
        } else args = [...args, more[k]];
      }
      mutations.push(`flag ${flag} ${JSON.stringify(v)}`);
      neutral = false;
      continue;
    }
    const f = pick(
      r,
      files.filter((x) => typeof x.data === 'string'),
    );
    if (!f) continue;
    if (roll < 0.3) {
      // gzip, whole or cut
      const gz = gzipSync(String(f.data));
      const cut = r() < 0.6;
      const old = f.name;
      f.name = `${f.name}.gz`;
      f.data = cut ? gz.subarray(0, int(r, gz.length)) : gz;
      args = args.map((a) => a.replace(`{in}/${old}`, `{in}/${f.name}`));
      mutations.push(`${old}: gzip${cut ? ', truncated' : ''}`);
      if (cut) neutral = false;
      continue;
    }
    if (roll < 0.33 && f.name.startsWith('prices') && command !== 'inspect') {
      f.data = b.returnsWide;
      mutations.push(`${f.name}: replaced by returns`);
      neutral = false;
      continue;
    }
    const [name, fn] = pick(r, MUTATIONS);
    const res = fn(String(f.data).split('\n'), r, f.name);
    if (!res) continue;
    f.data = res.lines.join('\n');
    mutations.push(`${f.name}: ${name}: ${res.desc}`);
    if (!NEUTRAL.has(name)) neutral = false;
    if (res.refuse && nMut === 1) mustRefuse = `${f.name}: ${res.refuse}`;
  }
  return { seed, command, args, files, outputs: p.outputs, mutations, mustRefuse, neutral: neutral && mutations.length > 0 };
}
