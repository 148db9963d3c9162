/**
 * Core data model: dates, calendars, Panel and Frame, alignment, returns, data quality, errors.
 * Pure (no `node:*`). Every name a user needs and nothing else: the list below is the public
 * surface of `factorlab/core` (docs/api/core.api.md), checked by `npm run lint`.
 */
export { Panel } from './panel.js';
export { Frame } from './frame.js';
export { Table, type TableColumnData, type TableRecord } from './table.js';
export {
  calendarFromIso,
  calendarToIso,
  detectFrequency,
  indexOfDay,
  intersectAll,
  intersectCalendars,
  isCalendar,
  makeCalendar,
  mapCalendar,
  periodEnds,
  unionAll,
  unionCalendars,
  type Calendar,
  type Frequency,
  type FrequencyInfo,
} from './calendar.js';
export { civilFromDays, dayOfWeek, daysFromCivil, formatIsoDate, monthEnd, parseIsoDate, tryParseIsoDate } from './dates.js';
export {
  alignPanelFrame,
  alignPanels,
  asOfPanel,
  forwardFill,
  joinFrames,
  reindexAssets,
  reindexFrame,
  reindexPanel,
  type AlignOptions,
  type JoinHow,
  type ReindexOptions,
} from './align.js';
export {
  excessReturns,
  forwardReturn,
  forwardReturns,
  logReturns,
  resamplePrices,
  simpleReturns,
  type DatedSeries,
  type ResampleFrequency,
} from './returns.js';
export {
  checkAndCleanBadTicks,
  checkQuality,
  cleanBadTicks,
  DEFAULT_QUALITY_OPTIONS,
  formatQualityReport,
  QUALITY_KINDS,
  type CheckedAndCleaned,
  type QualityDataKind,
  type QualityFinding,
  type QualityKind,
  type QualityOptions,
  type QualityReport,
} from './quality.js';
export { exitCodeFor, InputError, isInputError, type InputErrorOptions, type InputLocation } from './errors.js';
