/**
 * The payload of an exposures-zoo job (`factorlab exposures-zoo --redis`): a block of portfolios
 * fitted on the shared returns and factors. Data only, as for the factor zoo (jobs.ts): the flags,
 * the submitter's working directory, the shared input files and the block's weights files, each
 * with its SHA-256. A worker runs nothing a payload names: it reads the files it lists, after
 * comparing their content hashes.
 *
 * Job id: `e-` and the SHA-256 of the canonical JSON of what the block's rows depend on: the flags
 * (without --threads), every input's path as given and content hash, and the block's portfolios in
 * order. Not the working directory: the same zoo submitted again (from anywhere) gets the same ids
 * and reuses the rows of the jobs that completed.
 */
import { createHash } from 'node:crypto';
import { RESAMPLE_FREQUENCIES } from '../cli/calendars.js';
import type { ExposuresZooFlags } from './exposures.js';
import { canonicalJson, checkFlags, isObject, nonEmptyString, PayloadError, SHA, type FlagField } from './jobs.js';

/**
 * The exposures payload's version, part of every job id: bumped when a block's result changes for the
 * same inputs, so that a zoo submitted again re-runs its blocks instead of reusing results kept in
 * Redis (up to 7 days). 2: a portfolio's result carries its weights notes (90aefd3).
 */
export const EXPOSURES_JOB_VERSION = 2;
/** The BullMQ job name of an exposures block (the factor zoo's jobs are `factor`). */
export const EXPOSURES_JOB_NAME = 'exposures';
/** How a job's failure starts when the shared returns or factors are bad input (the submitter stops with it, exit 2, as on one machine). */
export const SHARED_INPUT = 'bad shared input: ';
/** Most portfolios a job may carry. */
export const MAX_BLOCK = 10_000;

export interface ExposuresInput {
  /** Which flag the file came from (`factors` may repeat: --factors is repeatable). */
  role: 'prices' | 'returns' | 'factors';
  /** As given (relative to `cwd`). */
  path: string;
  sha256: string;
}

export interface PortfolioInput {
  /** The weights file as given (relative to `cwd`): the portfolio's name in the table. */
  path: string;
  sha256: string;
}

export interface ExposuresJobData {
  version: typeof EXPOSURES_JOB_VERSION;
  flags: ExposuresZooFlags;
  /** Absolute directory the relative paths are relative to (the submitter's working directory). */
  cwd: string;
  inputs: ExposuresInput[];
  portfolios: PortfolioInput[];
}

/** The shared input files of an exposures zoo, in flag order. */
export function exposuresInputPaths(flags: ExposuresZooFlags): { role: ExposuresInput['role']; path: string }[] {
  const out: { role: ExposuresInput['role']; path: string }[] = [];
  if (flags.prices !== undefined) out.push({ role: 'prices', path: flags.prices });
  if (flags.returns !== undefined) out.push({ role: 'returns', path: flags.returns });
  for (const f of flags.factors) out.push({ role: 'factors', path: f });
  return out;
}

/** The job id of a payload (see the module doc). */
export function exposuresJobId(data: ExposuresJobData): string {
  const { cwd: _cwd, ...content } = data;
  return `e-${createHash('sha256')
    .update(canonicalJson({ ...content, flags: { ...content.flags, threads: undefined } }))
    .digest('hex')}`;
}

/** Every flag an exposures job may carry and its type; anything else is refused. */
const EXPOSURES_FLAG_FIELDS: Record<string, FlagField> = {
  prices: { kind: 'string' },
  returns: { kind: 'string' },
  factors: { kind: 'strings', required: true },
  rfCol: { kind: 'string' },
  factorCols: { kind: 'string' },
  factorScale: { kind: 'number' },
  resample: { kind: 'enum', values: RESAMPLE_FREQUENCIES },
  dateCol: { kind: 'string' },
  assetCol: { kind: 'string' },
  valueCol: { kind: 'string' },
  timezone: { kind: 'timezone' },
  clean: { kind: 'boolean' },
  start: { kind: 'string' },
  end: { kind: 'string' },
  threads: { kind: 'integer', required: true },
  fill: { kind: 'enum', required: true, values: ['none', 'ffill'] },
  weightsMaxAge: { kind: 'integer' },
  constant: { kind: 'boolean', required: true },
  neweyWest: { kind: 'booleanOrPositiveInteger' },
  minObs: { kind: 'integer' },
};

const isFile = (v: unknown, roles: readonly string[] | null): boolean =>
  isObject(v) &&
  (roles === null ? Object.keys(v).length === 2 : Object.keys(v).length === 3 && roles.includes(v.role as string)) &&
  nonEmptyString(v.path) &&
  typeof v.sha256 === 'string' &&
  SHA.test(v.sha256);

/** Checks an exposures payload field by field and returns it typed; throws a {@link PayloadError}. */
export function parseExposuresJobData(raw: unknown): ExposuresJobData {
  if (!isObject(raw)) throw new PayloadError('not an object');
  const allowed = new Set(['version', 'flags', 'cwd', 'inputs', 'portfolios']);
  for (const k of Object.keys(raw)) if (!allowed.has(k)) throw new PayloadError(`unknown field "${k.slice(0, 40)}"`);
  if (raw.version !== EXPOSURES_JOB_VERSION)
    throw new PayloadError(
      `version ${String(raw.version)} (this worker reads exposures version ${EXPOSURES_JOB_VERSION}; run the same factorlab on the submitter and the workers)`,
    );
  checkFlags(raw.flags, EXPOSURES_FLAG_FIELDS);
  const flags = raw.flags as unknown as ExposuresZooFlags;
  if ((flags.prices === undefined) === (flags.returns === undefined))
    throw new PayloadError('flags must name exactly one of prices and returns');
  if (!nonEmptyString(raw.cwd) || !raw.cwd.startsWith('/')) throw new PayloadError('cwd must be an absolute path');
  const inputs = raw.inputs;
  if (
    !Array.isArray(inputs) ||
    inputs.length < 2 ||
    inputs.length > 66 ||
    !inputs.every((i) => isFile(i, ['prices', 'returns', 'factors']))
  )
    throw new PayloadError('inputs must be a list of { role, path, sha256 } (prices or returns, and factors) with 64-hex-digit sha256');
  const expected = exposuresInputPaths(flags);
  const given = inputs as ExposuresInput[];
  if (expected.length !== given.length || expected.some((e, k) => e.role !== given[k].role || e.path !== given[k].path))
    throw new PayloadError('inputs must be the files the flags name, in their order');
  const portfolios = raw.portfolios;
  if (!Array.isArray(portfolios) || portfolios.length > MAX_BLOCK || !portfolios.every((p) => isFile(p, null)))
    throw new PayloadError(`portfolios must be a list of at most ${MAX_BLOCK} { path, sha256 } with 64-hex-digit sha256`);
  return raw as unknown as ExposuresJobData;
}
