/**
 * io: reading market data (a fast streaming CSV / CSV.gz reader of our own, DuckDB for Parquet and
 * the rest, Ken French's files) and writing tables and JSON atomically. Node only.
 *
 * The public surface of `factorlab/io` (docs/api/io.api.md). The scanners, SQL builders and
 * temporary-file registry behind it stay in their modules.
 */
export { readPanel, type LoadedPanel, type ReadPanelOptions, type ReadProgress, type ValueKind } from './readPanel.js';
export { guessValueKind } from './kind.js';
export { readFrame, type ReadFrameOptions } from './readFrame.js';
export { readGroupNames, readGroups, type LoadedGroups, type ReadGroupsOptions } from './groups.js';
export {
  isKenFrenchFile,
  looksLikeKenFrench,
  parseKenFrench,
  readKenFrench,
  type KenFrenchData,
  type KenFrenchOptions,
} from './kenfrench.js';
export { formatOf, type TableFormat } from './source.js';
export { toCsv, writeAtomic, writeJsonAtomic, writeTable, writeTextAtomic, type TableData, type WriteTableOptions } from './write.js';
export {
  checkOutput,
  checkOutputDirectory,
  checkOutputs,
  outputFormatOf,
  TABLE_FORMATS,
  type OutputFormat,
  type OutputSpec,
} from './outputs.js';
export { loadHighs } from './highs.js';
