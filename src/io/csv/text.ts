/**
 * Small CSV files read as text (group files, names files): the whole file in memory, split into
 * records by RFC 4180 rules — fields separated by the delimiter, `"` quotes a field that may hold
 * the delimiter, a newline or `""` (a quote); `\n` or `\r\n` ends a record; a UTF-8 byte-order
 * mark is dropped; blank lines are skipped. Every record must have as many fields as the first
 * (the header, or the first data line of a headerless file): a ragged record and a quote that is
 * never closed are InputErrors naming the file and the line. Gzip is inflated as for the panels
 * (a truncated stream is an error, not fewer rows).
 */
import { InputError } from '../../core/errors.js';
import { fileChunks } from './source.js';

export interface TextRecord {
  fields: string[];
  /** 1-based physical line on which the record starts. */
  line: number;
}

/** The records of `text` (see the module comment); `file` names the file in errors. */
export function parseCsvText(text: string, delimiter: string, file: string): TextRecord[] {
  const out: TextRecord[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const d = delimiter.charCodeAt(0);
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let blank = true;
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === 34) {
        // a quoted field
        blank = false;
        let j = i + 1,
          v = '';
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) {
            throw new InputError('a quoted field is never closed', {
              file,
              line: start,
              hint: 'close the quote, or write a quote inside a quoted field as ""',
            });
          }
          for (let k = j; k < q; k++) if (text.charCodeAt(k) === 10) line++;
          v += text.slice(j, q);
          if (text.charCodeAt(q + 1) === 34) {
            v += '"';
            j = q + 2;
          } else {
            j = q + 1;
            break;
          }
        }
        // text after the closing quote up to the delimiter (`"a" ` or `"a"b`) is kept, as DuckDB does
        let e = j;
        while (e < n && text.charCodeAt(e) !== d && text.charCodeAt(e) !== 10) e++;
        value = v + text.slice(j, e).replace(/\r$/, '');
        i = e;
      } else {
        let e = i;
        while (e < n && text.charCodeAt(e) !== d && text.charCodeAt(e) !== 10) e++;
        value = text.slice(i, e);
        if (e < n && text.charCodeAt(e) === 10 && value.endsWith('\r')) value = value.slice(0, -1);
        if (value.trim() !== '') blank = false;
        i = e;
      }
      fields.push(value);
      if (i < n && text.charCodeAt(i) === d) {
        i++;
        blank = false;
        continue;
      }
      i++; // the newline (or past the end)
      line++;
      break;
    }
    if (blank) continue;
    if (out.length > 0 && fields.length !== out[0].fields.length) {
      const want = out[0].fields.length;
      throw new InputError(`line has ${fields.length} field${fields.length === 1 ? '' : 's'}, the first line has ${want}`, {
        file,
        line: start,
        hint: `give every line ${want} fields separated by ${JSON.stringify(delimiter)} (quote a field that contains it)`,
      });
    }
    out.push({ fields, line: start });
  }
  return out;
}

/** The whole (possibly gzip-compressed) file as UTF-8 text. */
export async function readText(file: string, gzip: boolean): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of fileChunks(file, gzip)) parts.push(Buffer.from(chunk)); // plain chunks reuse one buffer
  return Buffer.concat(parts).toString('utf8');
}
