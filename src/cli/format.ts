/** Plain-text formatting for terminal output: aligned tables and numbers a person reads. */

export type Cell = string | number | null | undefined;

export interface TableOptions {
  /** Column alignment; numbers default to right, text to left. */
  align?: ('left' | 'right')[];
  indent?: number;
}

/** An aligned text table: a header row, a rule, then the rows. */
export function table(header: readonly string[], rows: readonly (readonly Cell[])[], options: TableOptions = {}): string {
  const text = rows.map((r) => r.map(cellText));
  const widths = header.map((h, c) => Math.max(h.length, ...text.map((r) => (r[c] ?? '').length)));
  const align = header.map((_, c) => options.align?.[c] ?? (rows.length > 0 && typeof rows[0][c] === 'number' ? 'right' : 'left'));
  const pad = ' '.repeat(options.indent ?? 0);
  const line = (cells: readonly string[]) =>
    pad +
    cells
      .map((s, c) => (align[c] === 'right' ? s.padStart(widths[c]) : s.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(header), pad + widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}

function cellText(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatNumber(v);
  return v;
}

/** A number with sensible precision: integers with thousands separators, others to 4 significant digits. */
export function formatNumber(v: number, digits = 4): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toLocaleString('en-US');
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return v.toExponential(digits - 1);
  return Number(v.toPrecision(digits)).toString();
}

/** An integer with thousands separators. */
export function formatCount(n: number): string {
  // Whole numbers by hand: the first toLocaleString call of a process loads ICU's locale data
  // (30-130 ms of CPU), which every command that prints a count would otherwise pay.
  if (Number.isSafeInteger(n)) {
    const digits = String(Math.abs(n));
    let out = '';
    for (let end = digits.length; end > 0; end -= 3) out = (end > 3 ? ',' : '') + digits.slice(Math.max(0, end - 3), end) + out;
    return n < 0 ? `-${out}` : out;
  }
  return n.toLocaleString('en-US');
}

/** A share in [0, 1] as a percentage. */
export function formatPercent(share: number, digits = 1): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(digits)}%` : 'n/a';
}

/** `key   value` lines with the keys padded to one width. */
export function keyValues(pairs: readonly (readonly [string, string])[], indent = 0): string {
  const w = Math.max(0, ...pairs.map(([k]) => k.length));
  const pad = ' '.repeat(indent);
  return pairs.map(([k, v]) => `${pad}${k.padEnd(w)}  ${v}`).join('\n');
}

/** `1 date`, `2 dates`, `1,226 dates`. */
export function plural(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** A note about one subject of a many-subject run (a portfolio of exposures-zoo): `text` may name the subject. */
export interface SubjectNote {
  subject: string;
  text: string;
}

/**
 * Notes about many subjects as printed: notes whose text is the same once the subject's own name
 * is taken out (the same stale weights in 400 portfolios) are one line, `N <noun>s (a, b, c, ...):
 * text` with the name read as `the <noun>`, a note of one subject stays `subject: text`; the lines
 * most subjects share first (ties in the order given), at most `max` of them, then one line
 * `... K more notes on M <noun>s (<where>)`. The caller keeps the full list where `where` says.
 * Printing one line per subject buried the output under hundreds of alike lines.
 */
export function capNotes(notes: readonly SubjectNote[], options: { max: number; noun: string; where: string }): string[] {
  const { max, noun, where } = options;
  const groups = new Map<string, { text: string; subjects: string[]; notes: number }>();
  for (const n of notes) {
    const key = n.subject === '' ? n.text : n.text.split(n.subject).join(`the ${noun}`);
    const g = groups.get(key) ?? { text: n.text, subjects: [], notes: 0 };
    if (!g.subjects.includes(n.subject)) g.subjects.push(n.subject);
    g.notes++;
    groups.set(key, g);
  }
  const ordered = [...groups.entries()].map(([key, g], order) => ({ key, order, ...g }));
  ordered.sort((a, b) => b.subjects.length - a.subjects.length || a.order - b.order);
  const shown = ordered.slice(0, max);
  const lines = shown.map((g) =>
    g.subjects.length === 1
      ? `${g.subjects[0]}: ${g.text}`
      : `${plural(g.subjects.length, noun)} (${g.subjects.slice(0, 3).join(', ')}${g.subjects.length > 3 ? ', ...' : ''}): ${g.key}`,
  );
  const rest = ordered.slice(max);
  if (rest.length > 0) {
    const more = rest.reduce((a, g) => a + g.notes, 0);
    const subjects = new Set(rest.flatMap((g) => g.subjects)).size;
    lines.push(`... ${plural(more, 'more note')} on ${plural(subjects, noun)} (${where})`);
  }
  return lines;
}
