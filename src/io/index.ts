/** io: readers (a fast streaming CSV / CSV.gz reader, DuckDB for Parquet and the rest), Ken French files, atomic writers. Node only. */
export { readPanel, panelScanSql, type LoadedPanel, type ReadPanelOptions, type ReadProgress, type ValueKind } from './readPanel.js';
export { readFrame, type ReadFrameOptions } from './readFrame.js';
export { formatOf, type TableFormat } from './source.js';
export { isKenFrenchFile, looksLikeKenFrench, parseKenFrench, readKenFrench, snakeName, type KenFrenchData } from './kenfrench.js';
export { GZIP_LEVEL, toCsv, writeAtomic, writeJsonAtomic, writeTable, writeTextAtomic, type TableData, type WriteTableOptions } from './write.js';
export { checkOutput, checkOutputDirectory, checkOutputs, outputFormatOf, TABLE_FORMATS, type OutputFormat, type OutputSpec } from './outputs.js';
export { onTempPathsChange, removeTempPathsSync, tempPaths, trackTempPath } from './tempFiles.js';
export { firstCsvInZip, zipEntries } from './zip.js';
export { readGroups, readGroupNames, type LoadedGroups, type ReadGroupsOptions } from './groups.js';
