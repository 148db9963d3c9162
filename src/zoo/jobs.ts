/**
 * The zoo's job payload: data, never code. One job per factor holds the factor's spec, the
 * `analyze` flags the zoo shares, the working directory the paths are relative to, the input files
 * with their SHA-256, and the result file to write. {@link parseJobData} checks every field of a
 * payload taken from Redis (unknown fields, wrong types, a path that is not a string, a hash that
 * is not 64 hex digits) before anything is done with it, so a malformed or hostile payload fails
 * with a clear reason and is never run.
 *
 * Job ids are deterministic: the SHA-256 of the canonical JSON of the inputs' content hashes, the
 * flags and the factor spec ({@link jobId}; not the working directory nor the result path). Two
 * submissions of the same zoo on the same files add no second job (BullMQ keeps one job per id); a
 * changed file gives a new id.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { relative, isAbsolute } from 'node:path';
import { isInputError } from '../core/errors.js';
import { checkedTimezone } from '../io/source.js';
import type { ZooAnalyzeFlags } from './factorRun.js';
import { MOMENTUM_SPEC, type FactorSpec } from './specs.js';

export const JOB_VERSION = 1;

export interface InputFile {
  /** Which flag the file came from: prices, weights, groups, groupNames or factor. */
  role: 'prices' | 'weights' | 'groups' | 'groupNames' | 'factor';
  /** As given (relative to `cwd`). */
  path: string;
  sha256: string;
}

export interface ZooJobData {
  version: typeof JOB_VERSION;
  spec: FactorSpec;
  flags: ZooAnalyzeFlags;
  /** Absolute directory the relative paths are relative to (the submitter's working directory). */
  cwd: string;
  inputs: InputFile[];
  /** Absolute path of the factor's result JSON. */
  resultFile: string;
}

/** SHA-256 of a file's bytes, hex (streamed). */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

const hashCache = new Map<string, { key: string; sha256: string }>();

/**
 * {@link sha256File}, remembered per path while the file's size, modification time and inode stay
 * the same (a worker checks the same prices file for every job; a rewrite changes the time).
 */
export async function sha256Cached(path: string): Promise<string> {
  const s = await stat(path);
  const key = `${s.size}:${s.mtimeMs}:${s.ino}`;
  const hit = hashCache.get(path);
  if (hit !== undefined && hit.key === key) return hit.sha256;
  const sha256 = await sha256File(path);
  hashCache.set(path, { key, sha256 });
  return sha256;
}

/** The input files of a factor: the shared ones and its own file (none for momentum from the prices). */
export function inputPaths(flags: ZooAnalyzeFlags, spec: FactorSpec): { role: InputFile['role']; path: string }[] {
  const out: { role: InputFile['role']; path: string }[] = [{ role: 'prices', path: flags.prices }];
  if (flags.weights !== undefined) out.push({ role: 'weights', path: flags.weights });
  if (flags.groups !== undefined) out.push({ role: 'groups', path: flags.groups });
  if (flags.groupNames !== undefined) out.push({ role: 'groupNames', path: flags.groupNames });
  if (spec.momentum !== true) out.push({ role: 'factor', path: spec.factor });
  return out;
}

/** JSON with object keys sorted, so equal payloads give equal text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The job id of a payload: `f-` and the SHA-256 of the canonical JSON of what its result depends
 * on: the factor spec, the flags (the paths as given: the result JSON quotes them) and every input
 * file's content hash. Not the working directory nor the result file: a second submitter of the same
 * zoo in another folder, or writing its results elsewhere, gets the same id and reuses the job's
 * result (distributed.ts copies the JSON) instead of computing it again. BullMQ ids must not be
 * plain integers, hence the prefix.
 */
export function jobId(data: ZooJobData): string {
  const { cwd: _cwd, resultFile: _resultFile, ...content } = data;
  return `f-${createHash('sha256')
    .update(canonicalJson({ ...content, flags: { ...content.flags, threads: undefined } }))
    .digest('hex')}`;
}

// ---- validation of a payload read from Redis ----

export class PayloadError extends Error {
  constructor(message: string) {
    super(`malformed job payload: ${message}`);
    this.name = 'PayloadError';
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
export const SHA = /^[0-9a-f]{64}$/;

export type FieldKind =
  'string' | 'strings' | 'boolean' | 'number' | 'numbers' | 'integer' | 'ints' | 'enum' | 'booleanOrPositiveInteger' | 'timezone';
export interface FlagField {
  kind: FieldKind;
  required?: boolean;
  values?: readonly string[];
}
/** Every flag a job may carry and its type; anything else in a payload is refused. */
const FLAG_FIELDS: Record<string, FlagField> = {
  prices: { kind: 'string', required: true },
  priceCol: { kind: 'string' },
  dateCol: { kind: 'string' },
  assetCol: { kind: 'string' },
  timezone: { kind: 'timezone' },
  groups: { kind: 'string' },
  groupCol: { kind: 'string' },
  groupAssetCol: { kind: 'string' },
  groupNames: { kind: 'string' },
  weights: { kind: 'string' },
  horizons: { kind: 'ints', required: true },
  quantiles: { kind: 'integer', required: true },
  bins: { kind: 'integer' },
  quantileEdges: { kind: 'numbers' },
  binEdges: { kind: 'numbers' },
  zeroAware: { kind: 'boolean' },
  byGroup: { kind: 'boolean' },
  groupAdjust: { kind: 'boolean' },
  universe: { kind: 'enum', required: true, values: ['joint', 'pairwise'] },
  minAssets: { kind: 'integer', required: true },
  icThreshold: { kind: 'number', required: true },
  executionLag: { kind: 'integer', required: true },
  maxLoss: { kind: 'number', required: true },
  periodsPerYear: { kind: 'number' },
  sample: { kind: 'enum', values: ['weekly', 'monthly'] },
  asOf: { kind: 'enum', values: ['daily', 'weekly', 'monthly'] },
  maxAge: { kind: 'integer' },
  decay: { kind: 'integer' },
  zscore: { kind: 'boolean' },
  controls: { kind: 'boolean' },
  clean: { kind: 'boolean' },
  threads: { kind: 'integer' },
};

/**
 * A zone a payload may carry: an IANA name this runtime knows, of the characters the reader puts
 * into SQL (io `checkedTimezone`, the check of `--timezone`); anything else is refused, never used.
 */
function isTimezone(v: unknown): boolean {
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) return false;
  try {
    return checkedTimezone(v) === v;
  } catch (e) {
    if (isInputError(e)) return false;
    throw e;
  }
}

function checkField(name: string, v: unknown, f: FlagField): void {
  if (f.kind === 'timezone') {
    if (!isTimezone(v))
      throw new PayloadError(
        `flags.${name} is not an IANA time zone this worker knows (${typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : typeof v}); run the same factorlab (and Node) on the submitter and the workers`,
      );
    return;
  }
  const ok =
    f.kind === 'string'
      ? typeof v === 'string' && v.length > 0 && !v.includes('\0')
      : f.kind === 'strings'
        ? Array.isArray(v) && v.length > 0 && v.length <= 64 && v.every((x) => nonEmptyString(x))
        : f.kind === 'booleanOrPositiveInteger'
          ? typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v) && v >= 1)
          : f.kind === 'boolean'
            ? typeof v === 'boolean'
            : f.kind === 'number'
              ? typeof v === 'number' && Number.isFinite(v)
              : f.kind === 'numbers'
                ? Array.isArray(v) && v.length > 0 && v.length <= 1024 && v.every((x) => typeof x === 'number' && Number.isFinite(x))
                : f.kind === 'integer'
                  ? typeof v === 'number' && Number.isInteger(v) && v >= 0
                  : f.kind === 'ints'
                    ? Array.isArray(v) &&
                      v.length > 0 &&
                      v.length <= 64 &&
                      v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 1)
                    : typeof v === 'string' && (f.values ?? []).includes(v);
  if (!ok) throw new PayloadError(`flags.${name} is not a valid ${f.kind}${f.values ? ` (${f.values.join(' | ')})` : ''}`);
}

export const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length < 4096 && !v.includes('\0');

/** Checks a payload's `flags` against the fields a job may carry (types, required ones); throws a {@link PayloadError}. */
export function checkFlags(flags: unknown, fields: Record<string, FlagField>): void {
  if (!isObject(flags)) throw new PayloadError('flags must be an object');
  for (const [k, v] of Object.entries(flags)) {
    const f = Object.hasOwn(fields, k) ? fields[k] : undefined;
    if (f === undefined) throw new PayloadError(`unknown flag "${k.slice(0, 40)}"`);
    if (v !== undefined) checkField(k, v, f);
  }
  for (const [k, f] of Object.entries(fields)) if (f.required && flags[k] === undefined) throw new PayloadError(`flags.${k} is missing`);
}

/** Checks a payload field by field (see the module doc) and returns it typed; throws a {@link PayloadError}. */
export function parseJobData(raw: unknown): ZooJobData {
  if (!isObject(raw)) throw new PayloadError('not an object');
  const allowed = new Set(['version', 'spec', 'flags', 'cwd', 'inputs', 'resultFile']);
  for (const k of Object.keys(raw)) if (!allowed.has(k)) throw new PayloadError(`unknown field "${k.slice(0, 40)}"`);
  if (raw.version !== JOB_VERSION)
    throw new PayloadError(
      `version ${String(raw.version)} (this worker reads version ${JOB_VERSION}; run the same factorlab on the submitter and the workers)`,
    );
  const spec = raw.spec;
  if (
    !isObject(spec) ||
    !nonEmptyString(spec.name) ||
    !nonEmptyString(spec.factor) ||
    (spec.factorCol !== undefined && !nonEmptyString(spec.factorCol)) ||
    (spec.momentum !== undefined && spec.momentum !== true)
  ) {
    throw new PayloadError('spec must be { name, factor, factorCol?, momentum? } with non-empty strings');
  }
  for (const k of Object.keys(spec))
    if (!['name', 'factor', 'factorCol', 'momentum'].includes(k)) throw new PayloadError(`unknown field "spec.${k.slice(0, 40)}"`);
  checkFlags(raw.flags, FLAG_FIELDS);
  if (!nonEmptyString(raw.cwd) || !raw.cwd.startsWith('/')) throw new PayloadError('cwd must be an absolute path');
  if (!nonEmptyString(raw.resultFile) || !raw.resultFile.startsWith('/') || !raw.resultFile.endsWith('.json'))
    throw new PayloadError('resultFile must be an absolute path ending in .json');
  if (!Array.isArray(raw.inputs) || raw.inputs.length === 0 || raw.inputs.length > 8)
    throw new PayloadError('inputs must be a list of 1 to 8 files');
  const roles = ['prices', 'weights', 'groups', 'groupNames', 'factor'];
  for (const i of raw.inputs as unknown[]) {
    if (
      !isObject(i) ||
      !roles.includes(i.role as string) ||
      !nonEmptyString(i.path) ||
      typeof i.sha256 !== 'string' ||
      !SHA.test(i.sha256) ||
      Object.keys(i).length !== 3
    ) {
      throw new PayloadError('each input must be { role, path, sha256 } with a 64-hex-digit sha256');
    }
  }
  // the files the job reads are the files it checks: every path in the flags and the spec has its
  // hash in `inputs` (a payload whose flags.prices named another file than its inputs' prices was
  // read unchecked), and a momentum spec is a momentum spec, not a path
  const data = raw as unknown as ZooJobData;
  if (data.spec.momentum === true && !MOMENTUM_SPEC.test(data.spec.factor))
    throw new PayloadError('spec.factor of a momentum spec must be momentum or momentum:LOOKBACK,SKIP');
  const expected = inputPaths(data.flags, data.spec);
  if (expected.length !== data.inputs.length || expected.some((e, k) => e.role !== data.inputs[k].role || e.path !== data.inputs[k].path))
    throw new PayloadError(
      `inputs must be the files of the flags and the spec, in order (${expected.map((e) => `${e.role} ${e.path}`.slice(0, 80)).join(', ')})`,
    );
  return data;
}

/** True when the absolute `file` lies inside the directory `root` (after normalising `..`). */
export function isInside(file: string, root: string): boolean {
  const r = relative(root, file);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r);
}
