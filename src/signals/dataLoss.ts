/**
 * The data-loss account of {@link prepareFactorData} and its `maxLoss` policy.
 *
 * The unit is an **observation**: a (formation date, asset) cell with a finite factor value. The
 * account starts from all of them (`initial`) and walks through the stages in order; each stage
 * records how many observations it `dropped`, how many are `remaining` after it, and
 * `share = dropped / initial` (so the shares of all stages add up to the total share lost).
 *
 * Common stages (every horizon): `unmatched-date` (a factor date before the first price date or
 * after the last, or a value superseded by a later factor date's value for the same asset on the
 * same trading day; `causes` counts each), `no-price` (the asset has no price at the
 * entry row), `no-group` (groups were given and the asset has none on that date).
 * Per horizon h (`horizons[]`): `no-forward-return` (no price h rows after entry), then
 * `below-min-assets` (the date has fewer than `minAssets` observations left and is dropped).
 * In the `joint` universe an observation lacking any horizon's forward return is dropped for all
 * horizons, so every horizon shows the same `no-forward-return` count (the union), with
 * `byHorizon` telling which horizons were missing.
 *
 * maxLoss policy: with `total share lost = 1 - remaining_h / initial` for the worst horizon, a
 * share above `maxLoss` throws an {@link InputError} that lists each stage's loss and what to do.
 */
import { InputError } from '../core/errors.js';

export type DataLossStageName = 'unmatched-date' | 'no-price' | 'no-group' | 'no-forward-return' | 'below-min-assets';

export interface DataLossStage {
  stage: DataLossStageName;
  /** Observations dropped at this stage. */
  dropped: number;
  /** Observations left after it. */
  remaining: number;
  /** dropped / initial (0 when initial is 0). */
  share: number;
  /** Dates dropped entirely at this stage (below-min-assets only). */
  droppedDates?: number;
  /** joint universe, no-forward-return: observations lacking each horizon's return (overlapping). */
  byHorizon?: Record<string, number>;
  /** unmatched-date (when it dropped any): how many for each cause. */
  causes?: UnmatchedCauses;
}

/** The causes of the `unmatched-date` stage. */
export interface UnmatchedCauses {
  /** Values dated before the first price date. */
  before: number;
  /** Values dated after the last price date. */
  after: number;
  /** Values replaced by the same asset's value on a later factor date matched to the same trading day. */
  superseded: number;
}

export interface HorizonLoss {
  horizon: number;
  stages: DataLossStage[];
  /** Observations used at this horizon. */
  remaining: number;
  /** 1 - remaining / initial. */
  totalShare: number;
}

export interface DataLoss {
  /** Observations with a finite factor value (the starting count). */
  initial: number;
  /** Stages shared by every horizon, in order. */
  common: DataLossStage[];
  /** Per-horizon stages that follow the common ones. */
  horizons: HorizonLoss[];
  /** The largest totalShare over horizons (what maxLoss is compared with). */
  maxShare: number;
}

/** A running account: call {@link DataLossCounter.stage} in order. */
export class DataLossCounter {
  readonly initial: number;
  private remaining: number;
  readonly stages: DataLossStage[] = [];

  constructor(initial: number, remaining = initial) {
    this.initial = initial;
    this.remaining = remaining;
  }

  get left(): number {
    return this.remaining;
  }

  stage(
    stage: DataLossStageName,
    dropped: number,
    extra: Partial<Pick<DataLossStage, 'droppedDates' | 'byHorizon' | 'causes'>> = {},
  ): void {
    this.remaining -= dropped;
    this.stages.push({ stage, dropped, remaining: this.remaining, share: this.initial > 0 ? dropped / this.initial : 0, ...extra });
  }
}

/** Assembles the account from the common counter and one counter per horizon. */
export function makeDataLoss(common: DataLossCounter, perHorizon: { horizon: number; counter: DataLossCounter }[]): DataLoss {
  const initial = common.initial;
  const horizons = perHorizon.map(({ horizon, counter }) => ({
    horizon,
    stages: counter.stages,
    remaining: counter.left,
    totalShare: initial > 0 ? 1 - counter.left / initial : 0,
  }));
  const maxShare = horizons.reduce((a, h) => Math.max(a, h.totalShare), initial > 0 ? 1 - common.left / initial : 0);
  return { initial, common: common.stages, horizons, maxShare };
}

const ADVICE: Record<DataLossStageName, string> = {
  'unmatched-date': 'factor dates after the last price date cannot be tested; extend the prices or trim the factor',
  'no-price': 'the factor names assets or dates the prices lack; check that the asset identifiers match between the two files',
  'no-group': 'assets without a group label are dropped; complete the group file or test without groups',
  'no-forward-return':
    'the last formation dates lack h rows of later prices and delisted assets lack an exit price; use shorter horizons or --universe pairwise',
  'below-min-assets': 'dates with too few assets are dropped; lower --min-assets or check the coverage of early dates',
};

/** What to do about unmatched factor dates, from their causes (the largest first). */
function unmatchedAdvice(c: UnmatchedCauses): string {
  const parts: [number, string][] = [
    [c.before, `${c.before} values are dated before the first price date (extend the prices back or trim the factor)`],
    [c.after, `${c.after} after the last price date (extend the prices or trim the factor)`],
    [
      c.superseded,
      `${c.superseded} were replaced by the same asset's value on a later factor date that trades on the same day (keep one date per asset and trading day)`,
    ],
  ];
  return parts
    .filter(([n]) => n > 0)
    .sort((a, b) => b[0] - a[0])
    .map(([, t]) => t)
    .join('; ');
}

/** Human-readable lines of an account (one per stage). */
export function formatDataLoss(loss: DataLoss): string[] {
  const pct = (s: number): string => `${(100 * s).toFixed(1)}%`;
  const lines = [`${loss.initial} factor observations`];
  for (const s of loss.common) lines.push(`  ${s.stage}: -${s.dropped} (${pct(s.share)}), ${s.remaining} left`);
  for (const h of loss.horizons) {
    for (const s of h.stages) {
      lines.push(
        `  h=${h.horizon} ${s.stage}: -${s.dropped} (${pct(s.share)})${s.droppedDates !== undefined ? `, ${s.droppedDates} dates` : ''}, ${s.remaining} left`,
      );
    }
    lines.push(`  h=${h.horizon}: ${h.remaining} used, ${pct(h.totalShare)} lost`);
  }
  return lines;
}

/**
 * The maxLoss policy: throws an InputError when more than `maxLoss` (a share in [0, 1]) of the
 * observations is lost for some horizon; the message lists every stage and the biggest one's
 * remedy. Returns the account unchanged otherwise.
 */
export function enforceMaxLoss(loss: DataLoss, maxLoss: number): DataLoss {
  if (!(maxLoss >= 0 && maxLoss <= 1)) throw new InputError(`maxLoss must be a share in [0, 1], got ${maxLoss}`, { options: ['maxLoss'] });
  if (loss.initial === 0) {
    throw new InputError('the factor has no finite value on any date', { hint: 'check the factor file: every value is missing' });
  }
  if (loss.maxShare <= maxLoss) return loss;
  const worst = loss.horizons.reduce((a, h) => (h.totalShare > a.totalShare ? h : a), loss.horizons[0]);
  const all = [...loss.common, ...(worst?.stages ?? [])];
  const biggest = all.reduce((a, s) => (s.dropped > a.dropped ? s : a), all[0]);
  const advice = (s: DataLossStage): string =>
    s.stage === 'unmatched-date' && s.causes !== undefined ? unmatchedAdvice(s.causes) : ADVICE[s.stage];
  const pct = (s: number): string => `${(100 * s).toFixed(1)}%`;
  const detail = all
    .filter((s) => s.dropped > 0)
    .map((s) => `${s.stage} ${pct(s.share)}`)
    .join(', ');
  throw new InputError(
    `${pct(loss.maxShare)} of the ${loss.initial} factor observations were lost${worst !== undefined ? ` at horizon ${worst.horizon}` : ''}, more than maxLoss ${pct(maxLoss)} (${detail})`,
    { hint: `${biggest !== undefined ? `${biggest.stage}: ${advice(biggest)}; ` : ''}or raise maxLoss`, options: ['maxLoss'] },
  );
}
