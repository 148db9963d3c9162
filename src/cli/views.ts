/**
 * The views file of `optimize --views` (Black–Litterman, portfolio blackLitterman.ts): CSV (or
 * .csv.gz), expected returns a year in decimal (0.05 for 5%), in one of two layouts.
 *
 * - One absolute view per row: `asset,return[,confidence]`
 *   (`AAPL,0.10,0.6`: AAPL returns 10% a year, 60% confident).
 * - Views on portfolios, a row per asset of a view: `view,asset,weight,return[,confidence]`, the
 *   view's rows together or not; its return and confidence on every row or on the first only
 *   (`tech,AAPL,0.5,0.03` + `tech,MSFT,0.5,` + `tech,XOM,-1,`: half AAPL and half MSFT beat XOM by
 *   3% a year). A relative view's weights sum to 0, an absolute one's to 1; neither is required.
 *
 * Columns are found by name (case-insensitive, spaces and hyphens as underscores: "Expected
 * Return"): view (or portfolio); asset (or ticker, symbol; name when there is no asset column);
 * weight; return (or value, expected_return, q); confidence (or conf). A file of two or three
 * unnamed columns is read as asset, return, confidence (a first row whose return is a number, or a
 * percent, is a view, not a header). A confidence is a number from 0 to 1 (Idzorek's method); blank
 * is none (the view's uncertainty is then τ·pᵀΣp, He and Litterman's default). Everything else is
 * refused with the file, line and what to do: a return that looks like percent (|r| > 1, or "5%"),
 * a decimal comma, a confidence outside [0, 1], a weight other than 1 without a view column (each
 * row is then an absolute view), an asset twice in a view, a view whose rows disagree.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../core/errors.js';
import { readText, parseCsvText } from '../io/csv/text.js';
import { slowCell } from '../io/csv/number.js';
import { assertTextLine, guessDelimiter } from '../io/header.js';
import { formatOf } from '../io/source.js';

export interface ViewSpec {
  name: string;
  entries: { asset: string; weight: number; line: number }[];
  value: number;
  confidence?: number;
  /** The view's first line in the file. */
  line: number;
}

const NAMES = {
  view: ['view', 'view_name', 'name', 'portfolio', 'view_id'],
  asset: ['asset', 'ticker', 'symbol', 'stock', 'security'],
  weight: ['weight', 'w', 'p'],
  value: ['return', 'value', 'expected_return', 'view_return', 'q', 'expected', 'mu'],
  confidence: ['confidence', 'conf', 'view_confidence', 'confidence_level', 'certainty'],
} as const;

const EXAMPLE = 'asset,return,confidence (AAPL,0.10,0.6), or view,asset,weight,return,confidence for views on portfolios';

/** A number written as percent ("5%", "-2.5 %"): its value in decimal, else undefined. */
function percentCell(raw: string): number | undefined {
  const m = /^(.*?)\s*%$/.exec(raw.trim());
  if (m === null) return undefined;
  const v = slowCell(m[1]);
  return v !== undefined && Number.isFinite(v) && m[1].trim() !== '' ? v / 100 : undefined;
}

/** x without binary noise (5 / 100 is 0.05, not 0.05000000000000001). */
function formatDecimal(x: number): string {
  return String(Number(x.toPrecision(12)));
}

/** A cell that reads as a number, or as a number in percent ("5%"): a data row's, not a header's. */
function numberLike(raw: string): boolean {
  const v = slowCell(raw);
  return (v !== undefined && Number.isFinite(v)) || percentCell(raw) !== undefined;
}

/** Reads and checks a views file (module doc). */
export async function readViewsFile(file: string, flag = '--views'): Promise<ViewSpec[]> {
  if (formatOf(file) === 'parquet') throw new InputError(`${flag} is read as CSV text`, { file, hint: `write it as CSV: ${EXAMPLE}` });
  let text: string;
  try {
    text = formatOf(file) === 'csv.gz' ? await readText(file, true) : await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as { code?: string }).code;
    throw new InputError(
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : `cannot read the file (${code ?? String(e)})`,
      {
        file,
        hint: `give a CSV of views: ${EXAMPLE}`,
      },
    );
  }
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  assertTextLine(firstLine, file);
  const records = parseCsvText(text, guessDelimiter(firstLine), file);
  if (records.length === 0)
    throw new InputError('the views file is empty', { file, hint: `write a header and one view per row: ${EXAMPLE}` });
  const head = records[0].fields.map((s) => s.trim());
  // "Expected Return", "view-name": spaces and hyphens read as underscores
  const lower = head.map((s) => s.toLowerCase().replace(/[\s-]+/g, '_'));
  const find = (names: readonly string[]): number => lower.findIndex((h) => names.includes(h));
  // a first row whose return is a number (or a number in percent, refused below with its line) is a view, not a header
  const headerless = head.length >= 2 && head.length <= 3 && numberLike(head[1]);
  let col = {
    view: find(NAMES.view),
    asset: find(NAMES.asset),
    weight: find(NAMES.weight),
    value: find(NAMES.value),
    confidence: find(NAMES.confidence),
  };
  if (
    headerless ||
    (col.asset < 0 && col.value < 0 && col.view < 0 && col.weight < 0 && col.confidence < 0 && (head.length === 2 || head.length === 3))
  )
    col = { view: -1, asset: 0, weight: -1, value: 1, confidence: head.length === 3 ? 2 : -1 };
  else if (col.asset < 0 && col.view < 0 && head.length >= 2)
    col.asset = 0; // the first column of an asset,return file named otherwise
  else if (col.asset < 0 && col.weight < 0 && lower[col.view] === 'name') col = { ...col, asset: col.view, view: -1 }; // name,return: the asset's name
  // a column of the views' uncertainty under another name than confidence would be ignored, and
  // every view weighed by the default ω instead: refused, saying what is read
  const unread = head.filter((_, j) => /^(omega|ω|uncertainty|view_variance|variance|stdev|std|sd|tau|τ)$/.test(lower[j]));
  if (unread.length > 0 && !headerless)
    throw new InputError(`the views file has a column ${unread.map((h) => JSON.stringify(h)).join(', ')}, which is not read`, {
      file,
      line: 1,
      hint: "a view's uncertainty is given as a confidence from 0 to 1 (Idzorek's method; column confidence), or left to the default τ·pᵀΣp; τ is --tau",
    });
  const missing = [col.asset < 0 ? 'asset' : '', col.value < 0 ? 'return' : '', col.view >= 0 && col.weight < 0 ? 'weight' : ''].filter(
    (s) => s !== '',
  );
  if (missing.length > 0)
    throw new InputError(`the views file has no ${missing.join(' or ')} column (header: ${head.join(',')})`, {
      file,
      line: 1,
      hint: `write the header as ${EXAMPLE}`,
    });
  const views = new Map<string, ViewSpec>();
  const order: string[] = [];
  const rows = headerless ? records : records.slice(1);
  for (const r of rows) {
    const cell = (j: number): string => (j < 0 ? '' : (r.fields[j] ?? '').trim());
    const asset = cell(col.asset);
    if (asset === '') throw new InputError('a view row has no asset', { file, line: r.line, hint: 'every row names an asset' });
    const name = col.view >= 0 ? cell(col.view) : asset;
    if (name === '')
      throw new InputError('a view row has no view name', {
        file,
        line: r.line,
        asset,
        hint: 'give each row the name of its view (rows of one view share it)',
      });
    const number = (j: number, what: string, blankOk: boolean): number | undefined => {
      const raw = cell(j);
      if (raw === '' && blankOk) return undefined;
      const v = slowCell(raw);
      if (v === undefined || !Number.isFinite(v)) {
        const percent = percentCell(raw);
        const comma = /^[-+]?\d+,\d+$/.test(raw) ? raw.replace(',', '.') : undefined;
        throw new InputError(`the ${what} of view ${name} is not a number: ${JSON.stringify(raw)}`, {
          file,
          line: r.line,
          asset,
          hint:
            percent !== undefined
              ? `write it as a decimal number without the percent sign: ${formatDecimal(percent)} for ${raw.trim()}`
              : comma !== undefined
                ? `write the decimal point as a point: ${comma} for ${raw}`
                : blankOk
                  ? `write a decimal number, or leave it blank`
                  : `write a decimal number (${what === 'return' ? '0.05 for 5% a year' : '1 for a whole unit'})`,
        });
      }
      return v;
    };
    const weight = col.weight >= 0 ? (number(col.weight, 'weight', false) as number) : 1;
    // without a view column every row is an absolute view on its asset, p = 1: a weight of 0.5 would
    // silently make the view "half of the asset returns q" (the asset 2q), so any other is refused
    if (col.view < 0 && weight !== 1)
      throw new InputError(
        `view ${name} has weight ${weight}, and the views file has no view column: each row is then an absolute view on its asset (weight 1), and a weight of ${weight} would state that ${weight} × ${asset} returns the view's return`,
        {
          file,
          line: r.line,
          asset,
          hint: `to state views on portfolios name them in a view column (view,asset,weight,return); for absolute views drop the weight column (header: ${head.join(',')})`,
        },
      );
    const existing = views.get(name);
    const value = number(col.value, 'return', existing !== undefined);
    const confidence = col.confidence >= 0 ? number(col.confidence, 'confidence', true) : undefined;
    if (value !== undefined && Math.abs(value) > 1)
      throw new InputError(
        `view ${name} expects a return of ${value} a year: returns are decimal (0.05 for 5%), and more than 100% a year is taken for percent`,
        {
          file,
          line: r.line,
          asset,
          hint: `write ${formatDecimal(value / 100)} for ${value}%`,
        },
      );
    if (confidence !== undefined && !(confidence >= 0 && confidence <= 1))
      throw new InputError(`the confidence of view ${name} is ${confidence}: it is a number from 0 (no effect) to 1 (certain)`, {
        file,
        line: r.line,
        asset,
        hint:
          confidence > 1 && confidence <= 100
            ? `write ${formatDecimal(confidence / 100)} for ${confidence}%`
            : 'write a number from 0 to 1, or leave it blank for the default uncertainty',
      });
    if (existing === undefined) {
      if (value === undefined)
        throw new InputError(`view ${name} has no return`, {
          file,
          line: r.line,
          asset,
          hint: 'give the expected return a year on its first row',
        });
      views.set(name, {
        name,
        entries: [{ asset, weight, line: r.line }],
        value,
        ...(confidence !== undefined ? { confidence } : {}),
        line: r.line,
      });
      order.push(name);
      continue;
    }
    if (col.view < 0)
      throw new InputError(`asset ${asset} has two views (lines ${existing.line} and ${r.line})`, {
        file,
        line: r.line,
        asset,
        hint: 'give one view per asset, or name the views in a view column (view,asset,weight,return) to state views on portfolios',
      });
    const twice = existing.entries.find((e) => e.asset === asset);
    if (twice !== undefined)
      throw new InputError(`view ${name} names ${asset} twice (lines ${twice.line} and ${r.line})`, {
        file,
        line: r.line,
        asset,
        hint: 'give each asset of a view once, with its whole weight',
      });
    if (value !== undefined && value !== existing.value)
      throw new InputError(`view ${name} has two returns: ${existing.value} (line ${existing.line}) and ${value} (line ${r.line})`, {
        file,
        line: r.line,
        asset,
        hint: "a view states one return for its portfolio: write it on the view's first row (or the same on every row)",
      });
    if (confidence !== undefined) {
      if (existing.confidence !== undefined && confidence !== existing.confidence)
        throw new InputError(
          `view ${name} has two confidences: ${existing.confidence} (line ${existing.line}) and ${confidence} (line ${r.line})`,
          {
            file,
            line: r.line,
            asset,
            hint: "write the confidence on the view's first row (or the same on every row)",
          },
        );
      existing.confidence = confidence;
    }
    existing.entries.push({ asset, weight, line: r.line });
  }
  if (order.length === 0)
    throw new InputError('the views file has no view', { file, hint: `add one view per row under the header: ${EXAMPLE}` });
  for (const name of order) {
    const v = views.get(name) as ViewSpec;
    if (v.entries.every((e) => e.weight === 0))
      throw new InputError(`every weight of view ${name} is 0, so it is about no portfolio`, {
        file,
        line: v.line,
        hint: 'give the view nonzero weights, or drop it',
      });
  }
  return order.map((n) => views.get(n) as ViewSpec);
}
