/**
 * Why two files' asset names that should be the same do not meet: the systematic differences that
 * data vendors make between spellings of one name, so an error or note that says "no asset in
 * common" can say what to change instead of only "names must match exactly".
 *
 * For the names `a` of one file that are not among the names `b` of the other, each rule maps a
 * name to a key and counts the names of `a` whose key is the key of some name of `b` (and which the
 * rules before it did not explain):
 *
 * - **case**: `aapl` / `AAPL` (key: upper case);
 * - **leading zeros**: `1` / `000001`, the codes of a column read as numbers (key: the digits
 *   without leading zeros, for names of digits only);
 * - **an exchange suffix or prefix**: `600010.XSHG`, `600010.SH`, `SH600010`, `AAPL US Equity`,
 *   `AAPL.O`, `NASDAQ:AAPL` / `600010`, `AAPL` (key: the name without a trailing `.`/`:`/space
 *   and 1–6 letters, a trailing ` XX Equity`, a leading `SH`/`SZ`/`BJ` before digits or a leading
 *   `EXCHANGE:`; upper case);
 * - **punctuation inside a name**: `BRK.B` / `BRK-B` / `BRK/B` / `BRK B` (key: those separators as one).
 *
 * The rule that explains the most names is reported when it explains at least one name and at least
 * half of the names of `a` missing from `b` (a few unrelated extra names do not hide the pattern).
 */

/** A systematic difference between two lists of asset names (see the module comment). */
export interface NameMismatch {
  kind: 'case' | 'leading zeros' | 'exchange code' | 'punctuation';
  /** A name of the first list and the name of the second it stands for. */
  example: readonly [string, string];
  /** Names of the first list that the rule explains. */
  count: number;
}

const SUFFIX = /^(.+?)(?:\s+[A-Z]{2}\s+EQUITY|[.:\s][A-Z]{1,6})$/;
const DIGITS_PREFIX = /^(?:SH|SZ|BJ|HK)[.:]?(\d+)$/;
const EXCHANGE_PREFIX = /^[A-Z]{2,8}:(.+)$/;

function exchangeKey(name: string): string {
  const u = name.trim().toUpperCase();
  const p = DIGITS_PREFIX.exec(u) ?? EXCHANGE_PREFIX.exec(u);
  const core = p !== null ? p[1] : u;
  const s = SUFFIX.exec(core);
  return s !== null ? s[1] : core;
}

const RULES: ReadonlyArray<readonly [NameMismatch['kind'], (name: string) => string | undefined]> = [
  ['case', (n) => n.toUpperCase()],
  ['leading zeros', (n) => (/^\d+$/.test(n) ? n.replace(/^0+(?=\d)/, '') : undefined)],
  ['exchange code', exchangeKey],
  ['punctuation', (n) => n.toUpperCase().replace(/[.\-/_\s]+/g, '.')],
];

/**
 * The systematic difference that explains why names of `a` are not in `b` (module comment), or
 * undefined when none does (or every name of `a` is in `b`).
 */
export function nameMismatch(a: readonly string[], b: readonly string[]): NameMismatch | undefined {
  const inB = new Set(b);
  const missing = a.filter((x) => !inB.has(x));
  if (missing.length === 0) return undefined;
  let best: NameMismatch | undefined;
  for (const [kind, key] of RULES) {
    const byKey = new Map<string, string>();
    for (const y of b) {
      const k = key(y);
      if (k !== undefined && !byKey.has(k)) byKey.set(k, y);
    }
    let count = 0;
    let example: [string, string] | undefined;
    for (const x of missing) {
      const k = key(x);
      const y = k === undefined ? undefined : byKey.get(k);
      if (y === undefined || y === x) continue;
      count++;
      example ??= [x, y];
    }
    if (example !== undefined && (best === undefined || count > best.count)) best = { kind, example, count };
  }
  return best !== undefined && best.count * 2 >= missing.length ? best : undefined;
}

/**
 * The sentence for a user: what differs between the names of `aLabel` and `bLabel`, with an
 * example and what to do; undefined when {@link nameMismatch} finds nothing either way round (the
 * names of `a` missing from `b`, else those of `b` missing from `a`).
 */
export function nameMismatchText(a: readonly string[], b: readonly string[], aLabel: string, bLabel: string): string | undefined {
  // either way round: 300 index names against 50 of them suffixed explain few of the 300, most of the 50
  const ab = nameMismatch(a, b);
  const ba = ab === undefined ? nameMismatch(b, a) : undefined;
  const m = ab ?? ba;
  if (m === undefined) return undefined;
  const [x, y] = m.example;
  const [xLabel, yLabel] = ab !== undefined ? [aLabel, bLabel] : [bLabel, aLabel];
  const pair = `${x} in ${xLabel}, ${y} in ${yLabel}; ${m.count} name${m.count === 1 ? '' : 's'} would match`;
  switch (m.kind) {
    case 'case':
      return `the names differ in case (${pair}): names are matched exactly, case included, so write them the same way in both files`;
    case 'leading zeros':
      return `the codes lost their leading zeros in one file (${pair}): a spreadsheet or a number column dropped them; keep the codes as text (pandas: dtype={"code": str}) or pad them (str.zfill)`;
    case 'exchange code':
      return `the names differ by an exchange suffix or prefix (${pair} without it): write the codes the same way in both files (strip or add the exchange)`;
    case 'punctuation':
      return `the names differ in punctuation (${pair}): vendors write share classes differently (BRK.B, BRK-B, BRK/B); write them the same way in both files`;
  }
}

/** `text` when {@link nameMismatchText} finds nothing, else that text. */
export function assetNamesHint(a: readonly string[], b: readonly string[], aLabel: string, bLabel: string, text: string): string {
  return nameMismatchText(a, b, aLabel, bLabel) ?? text;
}
