/** Field positions within one line of bytes (no quotes: the fast reader declines quoted files). */

/** `[start, end)` of field `k` (0-based) of the line `b[s..e)` split on byte `d`, or null if the line has fewer fields. */
export function fieldAt(b: Uint8Array, s: number, e: number, d: number, k: number): [number, number] | null {
  let pos = s;
  for (let i = 0; i < k; i++) {
    while (pos < e && b[pos] !== d) pos++;
    if (pos >= e) return null;
    pos++;
  }
  let fe = pos;
  while (fe < e && b[fe] !== d) fe++;
  return [pos, fe];
}

/** The bytes `b[s..e)` as UTF-8 text. */
export function textOf(b: Buffer, s: number, e: number): string {
  return b.toString('utf8', s, e);
}

/** `[s, e)` without leading and trailing spaces and tabs. */
export function trimmed(b: Uint8Array, s: number, e: number): [number, number] {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  return [s, e];
}
