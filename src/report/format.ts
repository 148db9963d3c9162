/**
 * Text of numbers in report tables and headline cards (the page's script formats its own tables
 * the same way). Missing values are empty cells, never "NaN".
 */
import type { ColumnFormat } from './document.js';

/**
 * A number as table text: exponent form below 1e-4 and from 1e9 on; otherwise at most `digits`
 * decimals, and below 1 at least `min(digits, 4)` significant digits (a variance of 1.084e-4 is
 * "0.0001084", not "0.0001", and 0.003833 keeps its four digits instead of "0.0038"). The page's
 * script (`num` in html.ts) follows the same rule.
 */
export function formatNumberText(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return '';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return v.toExponential(3);
  return v.toLocaleString('en-US', { maximumFractionDigits: fractionDigits(a, digits) });
}

/** Decimals for |v| = a: `digits`, or more below 1 so that min(digits, 4) significant digits show. */
function fractionDigits(a: number, digits: number): number {
  if (a === 0 || a >= 1) return digits;
  const zeros = -Math.floor(Math.log10(a)) - 1; // zeros after the decimal point: 0.0038 has 2
  return Math.min(20, Math.max(digits, zeros + Math.min(digits, 4)));
}

export function formatPct(v: number, digits = 2): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(digits)}%` : 'n/a';
}

/**
 * A share (of the variance, of the weight, of dates) nearer than this to 0 or to 1 is the
 * arithmetic's rounding: a book neutral to every factor has exposures of ~1e-18, so a factor's
 * share of the variance is ~1e-30, which "<0.1%" would show as something. The CLI's text prints
 * such shares as 0 with the same threshold (its own constant: the report does not import the CLI).
 */
export const SHARE_NOISE = 1e-12;

/**
 * A share as shown: 0 within {@link SHARE_NOISE} of 0, 1 within it of 1, else v (NaN stays NaN, and
 * so does the null a source read from JSON has for it: Math.abs(null) would make it 0).
 */
export function shareFigure(v: number): number {
  if (typeof v !== 'number') return v;
  return Math.abs(v) < SHARE_NOISE ? 0 : Math.abs(1 - v) < SHARE_NOISE ? 1 : v;
}

/**
 * A share (0..1) as a whole percent, unless the whole percent would hide that it is not all or
 * nothing: 0.996 is "99.6%", not "100%" beside a "0%" that is 0.4%; 0.0004 is "<0.1%". Rounding
 * noise ({@link shareFigure}: 1e-30 of a neutral book) is "0%" (and 1 − 1e-15 "100%").
 */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return 'n/a';
  const v = shareFigure(share);
  const whole = formatPct(v, 0);
  if (v === 0 || v === 1 || (whole !== '0%' && whole !== '-0%' && whole !== '100%')) return whole === '-0%' ? '0%' : whole;
  const one = formatPct(v, 1);
  if (one === '0.0%' || one === '-0.0%') return v > 0 ? '<0.1%' : '>-0.1%';
  if (one === '100.0%') return v < 1 ? '>99.9%' : '<100.1%';
  return one;
}

/** {@link formatNumberText}, or "n/a" for a missing number (a headline never shows an empty value). */
export function formatNumberOrNa(v: number, digits = 4): string {
  return Number.isFinite(v) ? formatNumberText(v, digits) : 'n/a';
}

/** A count with thousands separators: 5,774. */
export function formatCount(v: number): string {
  return Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: 0 }) : 'n/a';
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

/** What one row of returns is, by the periods a year they are annualised with: a monthly fit's windows count months, not days. */
export function periodsNoun(periodsPerYear: number): string {
  if (periodsPerYear >= 250) return 'days';
  return ({ 52: 'weeks', 12: 'months', 4: 'quarters', 1: 'years' } as Record<number, string>)[periodsPerYear] ?? 'periods';
}
