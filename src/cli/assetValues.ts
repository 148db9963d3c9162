/**
 * A per-asset value file for `optimize` and `replicate`: benchmark or current weights, alpha.
 * CSV with a header and two columns, the asset and a number (`asset,weight`); the names of the
 * columns are free, blank or NaN means "none". The delimiter is the header's (`,` `;` tab `|`) and
 * cells may be quoted (`"Berkshire, Inc.",0.02`). A first row whose second cell is a number is read
 * as data (a file without a header). Bad rows stop with the file, line and what to do.
 */
import { readFile } from 'node:fs/promises';
import { assetNamesHint } from '../core/assetNames.js';
import { InputError } from '../core/errors.js';
import { assertTextLine, guessDelimiter, splitCsvLine } from '../io/header.js';
import { readText } from '../io/csv/text.js';
import { formatOf } from '../io/source.js';
import { notANumberHint } from '../io/csv/errors.js';
import { slowCell } from '../io/csv/number.js';

export interface AssetValues {
  file: string;
  values: Map<string, number>;
  valueCol: string;
}

export async function readAssetValues(file: string, what: string): Promise<AssetValues> {
  let text: string;
  if (formatOf(file) === 'parquet')
    throw new InputError(`a file of ${what}s is read as CSV text`, {
      file,
      hint: `write it as CSV (or .csv.gz): a header, then asset,value rows`,
    });
  try {
    // .csv.gz like every other input (a truncated or corrupt stream is refused by readText)
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
      { file, hint: `give a CSV of ${what}: a header, then asset,value rows` },
    );
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  // a binary file (gzip without a .gz name, xlsx, Parquet) is named as such, never printed
  assertTextLine(lines[0] ?? '', file);
  // the header's delimiter (`,` `;` tab `|`), and quoted cells: an asset named "Berkshire, Inc." is one cell
  const delimiter = guessDelimiter(lines[0] ?? '');
  const split = (line: string): string[] => splitCsvLine(line, delimiter).map((s) => s.trim());
  const first = split(lines[0] ?? '');
  // a first row whose second cell is a number is data, not a header (`A001,0.2`): a file without one
  const headerless = first.length >= 2 && first[0] !== '' && first[1] !== '' && Number.isFinite(Number(first[1]));
  const header = headerless ? ['asset', what] : first;
  if (header.length < 2 || header[0] === '')
    throw new InputError(`expected a header with two columns (asset and ${what})`, {
      file,
      line: 1,
      value: lines[0] ?? '',
      hint: `for example: asset,weight`,
    });
  const values = new Map<string, number>();
  const firstLine = new Map<string, number>();
  for (let i = headerless ? 0 : 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const cells = split(line);
    const asset = cells[0];
    if (asset === '') throw new InputError('empty asset name', { file, line: i + 1, hint: 'every row starts with an asset name' });
    const raw = cells[1] ?? '';
    // the CSV readers' cell grammar: decimal text only (Number() would also take hex, binary and
    // octal literals); an empty cell, NaN and NA, #N/A, NULL, ... are none
    const v = slowCell(raw);
    // a name given twice is refused even when one of the rows is blank (the blank row would
    // otherwise hide that the file disagrees with itself)
    if (firstLine.has(asset))
      throw new InputError(`asset ${asset} appears twice (lines ${firstLine.get(asset)} and ${i + 1})`, {
        file,
        line: i + 1,
        asset,
        hint: 'give one row per asset',
      });
    firstLine.set(asset, i + 1);
    if (v !== undefined && Number.isNaN(v)) continue;
    if (v === undefined || !Number.isFinite(v))
      throw new InputError(`${what} is not a finite number`, {
        file,
        line: i + 1,
        column: header[1],
        asset,
        value: raw,
        hint: v === undefined ? notANumberHint(raw) : 'leave the cell empty for none',
      });
    values.set(asset, v);
  }
  if (values.size === 0) throw new InputError(`no ${what} in the file`, { file, hint: 'add asset,value rows under the header' });
  return { file, values, valueCol: header[1] };
}

/**
 * The values aligned to `assets` (0 where the file has none); names the file's assets the model lacks
 * (`strict`: an InputError, whose hint names a spelling difference to `assets`, with `flag`).
 */
export function alignAssetValues(
  v: AssetValues,
  assets: readonly string[],
  what: string,
  strict: boolean,
  flag?: string,
): { aligned: Float64Array; missing: string[] } {
  const index = new Map(assets.map((a, i) => [a, i]));
  const aligned = new Float64Array(assets.length);
  const missing: string[] = [];
  for (const [asset, value] of v.values) {
    const i = index.get(asset);
    if (i === undefined) {
      if (value !== 0) missing.push(asset);
      continue;
    }
    aligned[i] = value;
  }
  if (strict && missing.length > 0) {
    throw new InputError(
      `${missing.length} ${what} name${missing.length > 1 ? 's are' : ' is'} not in the risk model (no returns or too few in the fit window): ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`,
      {
        file: v.file,
        asset: missing[0],
        // a name spelled otherwise than in the prices (case, an exchange suffix, BRK.B / BRK-B) is
        // no matter of the fit window: say which difference it is
        hint: assetNamesHint(
          missing,
          assets,
          flag ?? `the ${what} file`,
          'the risk model',
          'drop them from the file, or widen the fit window so they can be fitted',
        ),
      },
    );
  }
  return { aligned, missing };
}
