/**
 * Text of numbers in report tables and headline cards (the page's script formats its own tables
 * the same way). Missing values are empty cells, never "NaN".
 */
import type { ColumnFormat } from './document.js';

export function formatNumberText(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return '';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return v.toExponential(3);
  return v.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function formatPct(v: number, digits = 2): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(digits)}%` : 'n/a';
}

export function formatBp(v: number, digits = 1): string {
  return Number.isFinite(v) ? `${(v * 1e4).toFixed(digits)} bp` : 'n/a';
}

export function formatCell(v: number | string | null, format: ColumnFormat): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  switch (format) {
    case 'int':
      return Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: 0 }) : '';
    case 'pct':
      return Number.isFinite(v) ? formatPct(v) : '';
    case 'bp':
      return Number.isFinite(v) ? formatBp(v) : '';
    case 'num':
      return formatNumberText(v);
    default:
      return String(v);
  }
}
