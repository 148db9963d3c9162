/**
 * The views file of `optimize --views` (src/cli/views.ts) read directly: layouts a user writes that
 * must not be misread in silence — a weight column without a view column (each row an absolute
 * view, so a weight of 0.5 would double the stated return), a headerless file whose first return is
 * written in percent (it was taken for a header and the view dropped), "Expected Return" and
 * "name" headers, and percent or decimal-comma cells named with the value to write.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { readViewsFile } from '../../src/cli/views.js';
import { tempDir } from './helpers.js';

const t = tempDir('viewsFile');
afterAll(() => t.remove());

const refused = async (name: string, text: string): Promise<string> => {
  const file = t.write(name, text);
  try {
    await readViewsFile(file);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const x = e as InputError;
    return `${x.message}\n${x.hint ?? ''}`;
  }
  throw new Error(`${name} was read`);
};

describe('views file layouts', () => {
  it('a weight column without a view column: weights other than 1 are refused, not read as absolute views on half a name', async () => {
    expect(await refused('w.csv', 'asset,weight,return\nA,0.5,0.05\nB,0.5,0.02\n')).toMatch(
      /view A has weight 0\.5, and the views file has no view column[\s\S]*view,asset,weight,return/,
    );
    // a view column under a name not known ("group") is the same case: every row was an absolute view
    expect(await refused('g.csv', 'group,asset,weight,return\ntech,A,0.5,0.04\ntech,B,0.5,0.04\ntech,C,-1,0.04\n')).toMatch(
      /view A has weight 0\.5/,
    );
    // weights of 1 are what an absolute view is
    const ones = await readViewsFile(t.write('ones.csv', 'asset,weight,return\nA,1,0.05\n'));
    expect(ones).toEqual([{ name: 'A', entries: [{ asset: 'A', weight: 1, line: 2 }], value: 0.05, line: 2 }]);
    // "portfolio" names the views
    const port = await readViewsFile(t.write('port.csv', 'portfolio,asset,weight,return\ntech,A,0.5,0.04\ntech,B,0.5,\ntech,C,-1,\n'));
    expect(port.map((v) => [v.name, v.entries.map((e) => e.weight), v.value])).toEqual([['tech', [0.5, 0.5, -1], 0.04]]);
  });

  it('a headerless file whose first return is in percent is refused at line 1, not read without its first view', async () => {
    expect(await refused('p1.csv', 'A,5%\nB,0.02\n')).toMatch(/the return of view A is not a number: "5%"[\s\S]*0\.05 for 5%/);
    expect(await refused('p2.csv', 'asset,return\nA,5%\n')).toMatch(/0\.05 for 5%/);
    expect(await refused('p3.csv', 'asset,return,confidence\nA,0.05,60%\n')).toMatch(
      /confidence of view A is not a number[\s\S]*0\.6 for 60%/,
    );
    expect(await refused('p4.csv', 'asset;return\nA;0,05\n')).toMatch(/not a number: "0,05"[\s\S]*0\.05 for 0,05/);
    expect(await refused('p5.csv', 'asset,return\nA,7\n')).toMatch(/0\.07 for 7%/);
  });

  it('an unknown header of three columns with a weight column is not read as asset,return,confidence (the weights were confidences)', async () => {
    expect(await refused('u1.csv', 'code,ret,w\nA,0.05,0.5\n')).toMatch(/no return column \(header: code,ret,w\)/);
    // unknown names only: asset, return, confidence by position, the header row dropped
    const u = await readViewsFile(t.write('u2.csv', 'code,ret,how_sure\nA,0.05,0.5\n'));
    expect(u).toEqual([{ name: 'A', entries: [{ asset: 'A', weight: 1, line: 2 }], value: 0.05, confidence: 0.5, line: 2 }]);
  });

  it('an uncertainty column under another name is refused (it was ignored: every view at the default ω); certainty is a confidence', async () => {
    expect(await refused('om.csv', 'asset,return,omega\nA,0.05,0.01\n')).toMatch(
      /has a column "omega", which is not read[\s\S]*confidence from 0 to 1/,
    );
    expect(await refused('un.csv', 'view,asset,weight,return,Uncertainty\nv,A,1,0.05,0.2\n')).toMatch(/column "Uncertainty"/);
    const c = await readViewsFile(t.write('cert.csv', 'asset,return,certainty\nA,0.05,0.7\n'));
    expect(c[0].confidence).toBe(0.7);
  });

  it('"Expected Return" and "name" headers are found', async () => {
    const a = await readViewsFile(t.write('h1.csv', 'Ticker,Expected Return,Confidence\nA,0.05,0.5\n'));
    expect(a).toEqual([{ name: 'A', entries: [{ asset: 'A', weight: 1, line: 2 }], value: 0.05, confidence: 0.5, line: 2 }]);
    const b = await readViewsFile(t.write('h2.csv', 'name,return\nA,0.05\nB,-0.01\n'));
    expect(b.map((v) => [v.name, v.entries[0].asset, v.value])).toEqual([
      ['A', 'A', 0.05],
      ['B', 'B', -0.01],
    ]);
    // name beside an asset column still names the views
    const c = await readViewsFile(t.write('h3.csv', 'name,asset,weight,return\nv,A,1,0.02\nv,B,-1,\n'));
    expect(c.map((v) => [v.name, v.entries.map((e) => e.asset)])).toEqual([['v', ['A', 'B']]]);
  });

  it('BOM, CRLF, semicolons, quotes and blank lines read as the plain file', async () => {
    const plain = await readViewsFile(t.write('plain.csv', 'view,asset,weight,return\ntech,A,0.5,0.04\ntech,B,0.5,0.04\ntech,C,-1,0.04\n'));
    const odd = await readViewsFile(
      t.write('odd.csv', '\uFEFF"view";"asset";"weight";"return"\r\n\r\n"tech";"A";0.5;0.04\r\ntech;B;0.5;0.04\r\ntech;C;-1;0.04\r\n\r\n'),
    );
    expect(odd.map((v) => [v.name, v.entries.map((e) => [e.asset, e.weight]), v.value])).toEqual(
      plain.map((v) => [v.name, v.entries.map((e) => [e.asset, e.weight]), v.value]),
    );
  });
});
