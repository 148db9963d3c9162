import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, SHOWN_VALUE_CHARS, exitCodeFor, isInputError, printable } from './errors.js';

describe('InputError', () => {
  it('full location: file:line, column, asset, date, value, hint', () => {
    const e = new InputError('price is negative', {
      file: 'prices.csv',
      line: 42,
      column: 'close',
      asset: 'AAPL',
      date: '2024-02-29',
      value: '-3.5',
      hint: 'check the source or drop the row',
    });
    expect(e.message).toBe(
      'prices.csv:42, column "close", asset AAPL, date 2024-02-29: price is negative (value: "-3.5")\n  hint: check the source or drop the row',
    );
    expect(e.name).toBe('InputError');
    expect(e.exitCode).toBe(2);
    expect(e.hint).toBe('check the source or drop the row');
    expect(e.location).toEqual({ file: 'prices.csv', line: 42, column: 'close', asset: 'AAPL', date: '2024-02-29', value: '-3.5' });
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(InputError);
    expect(e.stack).toContain('InputError');
  });

  it('partial locations', () => {
    expect(new InputError('no header').message).toBe('no header');
    expect(new InputError('empty', { file: 'a.csv' }).message).toBe('a.csv: empty');
    expect(new InputError('bad row', { line: 3 }).message).toBe('line 3: bad row');
    expect(new InputError('bad', { column: 'ret', value: '' }).message).toBe('column "ret": bad (value: "")');
    expect(new InputError('gap', { asset: 'X', date: '2024-01-02' }).message).toBe('asset X, date 2024-01-02: gap');
    expect(new InputError('p', { hint: 'h' }).message).toBe('p\n  hint: h');
    expect(new InputError('p').hint).toBeUndefined();
    expect(new InputError('p').location).toEqual({});
  });

  it('long values are truncated to 40 characters with an ellipsis; quotes are escaped', () => {
    const e = new InputError('too long', { value: 'x'.repeat(100) });
    expect(e.message).toBe(`too long (value: "${'x'.repeat(39)}…")`);
    expect(new InputError('q', { value: 'a"b' }).message).toBe('q (value: "a\\"b")');
    expect(new InputError('q', { value: 'y'.repeat(40) }).message).toBe(`q (value: "${'y'.repeat(40)}")`);
  });

  it('keeps the cause', () => {
    const cause = new SyntaxError('unexpected token');
    const e = new InputError('cannot parse', { file: 'f.json', cause });
    expect(e.cause).toBe(cause);
    expect('cause' in new InputError('x')).toBe(false);
    expect(e.location).toEqual({ file: 'f.json' }); // cause and hint are not part of the location
  });

  it('property: the message always starts with the location and contains the problem', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), fc.integer({ min: 1, max: 1e6 }), (problem, file, line) => {
        const e = new InputError(problem, { file, line });
        expect(e.message.startsWith(`${file}:${line}: `)).toBe(true);
        expect(e.message.endsWith(problem)).toBe(true);
      }),
    );
  });
});

describe('exitCodeFor / isInputError', () => {
  it('2 for bad input, 1 for everything else', () => {
    expect(exitCodeFor(new InputError('x'))).toBe(2);
    expect(exitCodeFor(new Error('x'))).toBe(1);
    expect(exitCodeFor(new RangeError('x'))).toBe(1);
    expect(exitCodeFor('a string')).toBe(1);
    expect(exitCodeFor(undefined)).toBe(1);
    expect(exitCodeFor({ exitCode: 2, name: 'InputError' })).toBe(1); // duck typing is not enough
    expect(isInputError(new InputError('x'))).toBe(true);
    expect(isInputError(new Error('x'))).toBe(false);
  });

  it('a subclass is still bad input', () => {
    class MissingColumn extends InputError {}
    expect(exitCodeFor(new MissingColumn('no column "date"', { file: 'a.csv' }))).toBe(2);
  });
});

const hasControl = (s: string): boolean =>
  [...s].some((c) => {
    const k = c.codePointAt(0) ?? 0;
    return k < 0x20 || (k >= 0x7f && k <= 0x9f) || k === 0xfffd;
  });

describe('printable messages', () => {
  it('control bytes and replacement characters never reach the message; values are cut to 40 characters', () => {
    const e = new InputError('no date column; the columns are: \ufffdPNG\r\n\u001a\n', {
      file: 'x.csv',
      value: `\u0089PNG\r\n\u001a\n${'A'.repeat(100)}`,
      column: '\u0000\u0001IHDR',
    });
    expect(e.message).toBe(`x.csv, column "?IHDR": no date column; the columns are: ?PNG?\n?\n (value: "?PNG?${'A'.repeat(34)}…")`);
    expect(hasControl(e.message.replaceAll('\n', ''))).toBe(false);
  });

  it('property: any value shows at most 40 printable characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (v) => {
        const e = new InputError('bad', { value: v });
        const shownValue = JSON.parse(e.message.slice('bad (value: '.length, -1)) as string;
        expect(shownValue.length).toBeLessThanOrEqual(SHOWN_VALUE_CHARS);
        expect(hasControl(shownValue)).toBe(false);
        expect(printable(v)).toBe(printable(printable(v)));
      }),
    );
  });
});

describe('InputError.renamed', () => {
  it('replaces whole-word library option names in problem and hint, leaves the rest', () => {
    const e = new InputError('more than maxLoss 35% lost', {
      file: 'f.csv',
      hint: 'raise maxLoss, or maxLossy stays',
      options: ['maxLoss'],
    });
    expect(e.message).toBe('f.csv: more than maxLoss 35% lost\n  hint: raise maxLoss, or maxLossy stays');
    expect(e.renamed((o) => (o === 'maxLoss' ? '--max-loss' : undefined))).toBe(
      'f.csv: more than --max-loss 35% lost\n  hint: raise --max-loss, or maxLossy stays',
    );
    expect(e.renamed(() => undefined)).toBe(e.message);
    expect(new InputError('p', { hint: 'h maxLoss' }).renamed(() => '--x')).toBe('p\n  hint: h maxLoss');
  });
});
