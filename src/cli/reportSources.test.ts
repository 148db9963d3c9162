import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { malformedResult } from './reportSources.js';

describe('malformedResult: what a result file that factorlab did not write gives', () => {
  it("a library check of a value from the file (no file of its own) names the file, in the check's words", () => {
    let thrown: unknown;
    try {
      new Panel(Int32Array.from([2, 1]), ['A'], Float64Array.from([1, 2])); // dates out of order, as an edited result's
    } catch (e) {
      thrown = e;
    }
    const e = malformedResult(thrown, 'edited.json');
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).location.file).toBe('edited.json');
    expect((e as InputError).message).toMatch(
      /^edited\.json: the result is not what factorlab writes: Panel dates must be strictly increasing/,
    );
    expect((e as InputError).hint).toMatch(/the file must be the JSON factorlab wrote, unchanged/);
    // an InputError that names its own file, and other errors, pass unchanged
    const own = new InputError('x', { file: 'other.csv' });
    expect(malformedResult(own, 'edited.json')).toBe(own);
    const other = new Error('boom');
    expect(malformedResult(other, 'edited.json')).toBe(other);
    // a TypeError reading a missing field: the field
    expect((malformedResult(new TypeError("Cannot read properties of undefined (reading 'nav')"), 'r.json') as Error).message).toMatch(
      /missing or malformed field \(at "nav"\)/,
    );
  });
});
