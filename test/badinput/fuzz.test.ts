/**
 * Seeded fuzz of the CLI on bad input: each case (fuzzCases.ts) takes small valid files (8 assets ×
 * 150 weekdays: prices wide or long, daily decimal factors with rf, a signal panel, groups, weights,
 * membership, a saved result), applies one to three mutations to the files or the flags, runs one
 * command and checks the rule every run must keep: exit 0 with finite outputs (no NaN, Infinity or
 * undefined in a JSON or CSV output), or exit 2 with one message that starts with "factorlab" and
 * names the file, flag, line, column, asset or date (or has a hint), nothing written and nothing
 * left in the input or output folder; never exit 1, a stack trace or an engine error text
 * (TypeError, "Cannot read properties"). A value no reader may take as a number, or a duplicated
 * row, must be refused (exit 0 there is a silent number).
 *
 * Reproduce a failure from its printed seed (and command, when one was set):
 *   FACTORLAB_FUZZ_SEED=<seed> FACTORLAB_FUZZ_RUNS=1 npx vitest run --project integration test/badinput/fuzz.test.ts
 * (FACTORLAB_FUZZ_KEEP=1 keeps each case's folder under the temporary directory.)
 * A broader run: FACTORLAB_FUZZ_SEED=1 FACTORLAB_FUZZ_RUNS=2000 FACTORLAB_FUZZ_LOG=/tmp/fuzz.jsonl
 * (with a log every case is run and written there, and the test fails at the end if any failed);
 * FACTORLAB_FUZZ_SUBPROCESS=1 runs each case as its own process (the built CLI), FACTORLAB_FUZZ_COMMAND
 * restricts the cases to one command, FACTORLAB_FUZZ_MUTATIONS=0 runs the valid inputs.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, MAIN } from './cli.js';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';
import { makeCase, type Case } from './fuzzCases.js';

const SEED = Number(process.env.FACTORLAB_FUZZ_SEED ?? 20261204);
const RUNS = Number(process.env.FACTORLAB_FUZZ_RUNS ?? 250);
const LOG = process.env.FACTORLAB_FUZZ_LOG;
const ONLY = process.env.FACTORLAB_FUZZ_COMMAND;
/** FACTORLAB_FUZZ_MUTATIONS=0 runs the valid inputs (each must exit 0) */
const MUTATE = process.env.FACTORLAB_FUZZ_MUTATIONS !== '0';
/** a run that takes longer than this on 8 × 150 inputs is a hang */
const TIMEOUT_MS = 30_000;
/**
 * By default a case runs in this process through `runCli` (the code of `main.js` but the process),
 * and every 10th case as its own process (the built CLI: a signal death, a hang or a write to the
 * real stderr shows there too); FACTORLAB_FUZZ_SUBPROCESS=1 runs every case as a process.
 */
const SUBPROCESS = process.env.FACTORLAB_FUZZ_SUBPROCESS === '1';
const SUBPROCESS_EVERY = 10;

const t = tempDir('fuzz');
const KEEP = process.env.FACTORLAB_FUZZ_KEEP === '1';
afterAll(() => (KEEP ? console.log(`fuzz: the cases are in ${t.dir}`) : t.remove()));

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

async function run(args: readonly string[], subprocess: boolean): Promise<Outcome> {
  if (!subprocess) {
    const r = await cli(...args);
    return { code: r.code, signal: null, stdout: r.out, stderr: r.err, timedOut: false };
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '',
      timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

const FAULT = /TypeError|RangeError|ReferenceError|SyntaxError|Cannot read prop|undefined is not|\[object Object\]|internal error/;
const NON_FINITE_JSON = new Set(['NaN', 'Infinity', '-Infinity', 'undefined']);

/** Strings in a parsed JSON value that spell a non-finite number or `undefined`, with their path. */
function nonFiniteStrings(v: unknown, path = '$'): string[] {
  // (an asset may be named "-Infinity": the fuzz writes such names)
  if (typeof v === 'string') return NON_FINITE_JSON.has(v) && !/\.asset$/.test(path) ? [`${path} = "${v}"`] : [];
  if (Array.isArray(v)) return v.flatMap((x, i) => nonFiniteStrings(x, `${path}[${i}]`));
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => nonFiniteStrings(x, `${path}.${k}`));
  return [];
}

/** What is wrong with an outcome (empty: the run kept the rule). */
export function problems(c: Case, o: Outcome, inDir: string, outDir: string, inBefore: string[]): string[] {
  const bad: string[] = [];
  if (o.timedOut) return [`no exit within ${TIMEOUT_MS / 1000} s`];
  if (o.signal) bad.push(`ended by ${o.signal}`);
  if (o.code !== 0 && o.code !== 2) bad.push(`exit code ${o.code}`);
  if (/^\s+at /m.test(o.stderr)) bad.push('a stack trace on stderr');
  const fault = FAULT.exec(o.stderr);
  if (fault) bad.push(`"${fault[0]}" on stderr`);
  const outAfter = existsSync(outDir) ? readdirSync(outDir) : [];
  const inAfter = readdirSync(inDir).sort();
  if (inAfter.join('|') !== inBefore.join('|')) bad.push(`the input folder changed: ${inAfter.join(', ')}`);
  if (o.code === 2) {
    const first = o.stderr.split('\n').find((l) => l.trim() !== '') ?? '';
    if (!/^factorlab/.test(first)) bad.push(`the message does not start with "factorlab": ${JSON.stringify(first.slice(0, 120))}`);
    const namesSomething = /hint:|--[a-z]|\{in\}|\.csv|\.json|\.gz|line \d|asset |column|date/.test(o.stderr.replaceAll(inDir, '{in}'));
    if (!namesSomething) bad.push('the message names no file, flag, line, column, asset or date and has no hint');
    // zoo and exposures-zoo: a factor or portfolio that fails is a row of the table with its
    // reason and the exit code is 2 (README, "zoo"): the table is the one output kept
    const partial = /^factorlab: error: \d+ of \d+ (factors|portfolios) failed/m.test(o.stderr);
    const left = outAfter.filter((f) => !(partial && (f === 'z.csv' || f === 'ez.csv')));
    if (left.length) bad.push(`left behind after exit 2: ${left.join(', ')}`);
  }
  if (o.code === 0 && c.mustRefuse) bad.push(`silent number: exit 0 although ${c.mustRefuse} must be refused`);
  if (o.code === 0 || o.code === 2) {
    const stray = outAfter.filter((f) => !c.outputs.includes(f));
    if (stray.length) bad.push(`unexpected files in the output folder: ${stray.join(', ')}`);
    for (const f of outAfter) {
      const p = join(outDir, f);
      const text = readFileSync(p, 'utf8');
      if (f.endsWith('.json')) {
        try {
          const bads = nonFiniteStrings(JSON.parse(text));
          if (bads.length) bad.push(`${f}: ${bads.slice(0, 3).join(', ')}`);
        } catch (e) {
          bad.push(`${f} is not valid JSON: ${(e as Error).message.slice(0, 80)}`);
        }
      } else if (f.endsWith('.csv')) {
        const m = /(^|,)(NaN|-?Infinity|undefined|null)(?=,|\r?$)/m.exec(text);
        if (m) bad.push(`${f} holds ${m[2]}`);
      }
    }
  }
  return bad;
}

/**
 * The numbers and structure of a JSON value, its texts left out (they name the input files); numbers
 * equal to 12 significant digits (row order may change a sum's last bits).
 */
const TIMING = /^(milliseconds|seconds|elapsed|duration|timings?)$/i;

function numbersOf(v: unknown): unknown {
  if (typeof v === 'number') return Number(v.toPrecision(12));
  if (typeof v === 'string') return '';
  if (Array.isArray(v)) return v.map(numbersOf);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (TIMING.test(k) ? [] : [[k, numbersOf(x)]])));
  return v;
}

/**
 * The outputs of a run, as comparable text (JSON: {@link numbersOf}, timings left out; CSV: numbers
 * to 12 digits, the input folder and a .gz suffix left out of file names).
 */
function outputsOf(outDir: string, inDir: string): Record<string, string> {
  const o: Record<string, string> = {};
  for (const f of existsSync(outDir) ? readdirSync(outDir).sort() : []) {
    const text = readFileSync(join(outDir, f), 'utf8');
    if (f.endsWith('.json')) o[f] = JSON.stringify(numbersOf(JSON.parse(text)));
    else if (f.endsWith('.csv'))
      o[f] = text
        .replaceAll(inDir, '{in}')
        .replaceAll('.csv.gz', '.csv')
        .replace(/-?\d+\.\d+(e[-+]?\d+)?/g, (m) => String(Number(Number(m).toPrecision(12))));
  }
  return o;
}

/** Runs case `c` in `dir` (input files in dir/in, outputs in dir/out). */
async function runCase(
  c: Case,
  dir: string,
  subprocess: boolean,
): Promise<{ o: Outcome; inDir: string; outDir: string; inBefore: string[] }> {
  const inDir = join(dir, 'in'),
    outDir = join(dir, 'out');
  mkdirSync(inDir, { recursive: true });
  mkdirSync(outDir, { recursive: true });
  for (const f of c.files) writeFileSync(join(inDir, f.name), f.data);
  const inBefore = readdirSync(inDir).sort();
  const args = ['--quiet', ...c.args.map((a) => a.replaceAll('{in}', inDir).replaceAll('{out}', outDir))];
  return { o: await run(args, subprocess), inDir, outDir, inBefore };
}

/** A valid exposures result, the input of the `report` cases. */
let reportSource = '';

beforeAll(async () => {
  assertBuilt();
  const dir = join(t.dir, 'report-source');
  mkdirSync(dir);
  const days = weekdays('2019-01-01', 150);
  const p = join(dir, 'p.csv'),
    f = join(dir, 'f.csv'),
    out = join(dir, 'fit.json');
  writeFileSync(p, pricesCsv(days, ['AAA', 'BBB', 'CCC', 'DDD', 'EEE']));
  writeFileSync(f, factorsCsv(days));
  const o = await run(['exposures', '--prices', p, '--factors', f, '--out', out], false);
  expect(o.code, o.stderr).toBe(0);
  reportSource = readFileSync(out, 'utf8');
});

describe(`CLI fuzz on bad input (seed ${SEED}, ${RUNS} runs${SUBPROCESS ? ', one process each' : ''})`, () => {
  it('every run ends with exit 0 and finite outputs or exit 2 with a clear message, leaving nothing behind', async () => {
    const failures: string[] = [];
    const started = Date.now();
    for (let k = 0; k < RUNS; k++) {
      const seed = SEED + k;
      const c = makeCase(seed, reportSource, ONLY, MUTATE);
      const dir = join(t.dir, `case-${seed}`);
      const sub = SUBPROCESS || k % SUBPROCESS_EVERY === 0;
      const { o, inDir, outDir, inBefore } = await runCase(c, dir, sub);
      const bad = problems(c, o, inDir, outDir, inBefore);
      if (c.neutral && bad.length === 0) {
        // the same data written another way: the same exit code and the same numbers
        const base = await runCase(makeCase(seed, reportSource, ONLY, false), join(dir, 'unmutated'), sub);
        if (base.o.code !== o.code)
          bad.push(
            `the same data written another way exits ${o.code}, the unmutated files ${base.o.code}: ${(o.code === 2 ? o.stderr : base.o.stderr).split('\n')[0].slice(0, 200)}`,
          );
        else if (o.code === 0) {
          const a = outputsOf(outDir, inDir),
            b = outputsOf(base.outDir, base.inDir);
          for (const f of Object.keys(b)) if (a[f] !== b[f]) bad.push(`${f} differs from the unmutated files' output`);
        }
      }
      if (!MUTATE && o.code !== 0) bad.push('the valid inputs must exit 0');
      const shown = c.args.join(' ');
      if (bad.length) {
        const msg =
          `seed ${seed} (FACTORLAB_FUZZ_SEED=${seed} FACTORLAB_FUZZ_RUNS=1${ONLY ? ` FACTORLAB_FUZZ_COMMAND=${ONLY}` : ''})\n` +
          `  factorlab ${shown}\n  mutations: ${c.mutations.join(' | ')}\n  exit ${o.code}${o.signal ? ` ${o.signal}` : ''}: ${bad.join('; ')}\n` +
          `  stderr: ${o.stderr.replaceAll(inDir, '{in}').replaceAll(outDir, '{out}').trim().split('\n').slice(0, 4).join('\n          ')}`;
        failures.push(msg);
        if (!LOG) break;
      }
      if (LOG)
        appendFileSync(
          LOG,
          `${JSON.stringify({
            seed,
            command: c.command,
            args: shown,
            mutations: c.mutations,
            mustRefuse: c.mustRefuse,
            code: o.code,
            signal: o.signal,
            bad,
            stderr: o.stderr.replaceAll(inDir, '{in}').replaceAll(outDir, '{out}').slice(0, 600),
            stdoutNaN: o.code === 0 && /\bNaN\b|\bundefined\b|Infinity/.test(o.stdout),
            stdout: /\bNaN\b|\bundefined\b|Infinity/.test(o.stdout) ? o.stdout.slice(0, 3000) : undefined,
          })}\n`,
        );
      if (!bad.length && !KEEP) rmSync(dir, { recursive: true, force: true });
    }
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`fuzz: seed ${SEED}, ${RUNS} runs in ${secs} s, ${failures.length} failing`);
    expect(failures, failures.join('\n\n')).toEqual([]);
  }, 600_000);
});
