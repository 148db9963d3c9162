/**
 * The parts of Parquet's metadata (parquet.thrift) that this writer emits, and their encoding in
 * the Thrift compact protocol (thrift.ts). Field ids are the format's:
 *
 * - PageHeader: 1 type (DATA_PAGE 0, DICTIONARY_PAGE 2), 2 uncompressed_page_size,
 *   3 compressed_page_size, 5 data_page_header {1 num_values, 2 encoding,
 *   3 definition_level_encoding, 4 repetition_level_encoding}, 7 dictionary_page_header
 *   {1 num_values, 2 encoding}.
 * - FileMetaData: 1 version, 2 schema (list of SchemaElement {1 type, 3 repetition_type, 4 name,
 *   5 num_children, 6 converted_type}), 3 num_rows, 4 row_groups, 6 created_by, 7 column_orders
 *   (union {1 TypeDefinedOrder {}}).
 * - RowGroup: 1 columns, 2 total_byte_size, 3 num_rows, 5 file_offset, 6 total_compressed_size.
 * - ColumnChunk: 2 file_offset, 3 meta_data: ColumnMetaData {1 type, 2 encodings,
 *   3 path_in_schema, 4 codec, 5 num_values, 6 total_uncompressed_size, 7 total_compressed_size,
 *   9 data_page_offset, 11 dictionary_page_offset, 12 statistics {1 max, 2 min, 3 null_count,
 *   4 distinct_count, 5 max_value, 6 min_value, 7 is_max_value_exact, 8 is_min_value_exact}}.
 */
import { CompactWriter, CT } from './thrift.js';

export const PhysicalType = { INT32: 1, DOUBLE: 5, BYTE_ARRAY: 6 } as const;
export const ConvertedType = { UTF8: 0, DATE: 6 } as const;
export const Repetition = { REQUIRED: 0, OPTIONAL: 1 } as const;
export const Encoding = { PLAIN: 0, RLE: 3, RLE_DICTIONARY: 8 } as const;
export const Codec = { UNCOMPRESSED: 0, SNAPPY: 1 } as const;
export const PageType = { DATA_PAGE: 0, DICTIONARY_PAGE: 2 } as const;

export interface Statistics {
  /** Deprecated signed-order min / max: written for numbers and dates only. */
  min?: Uint8Array;
  max?: Uint8Array;
  nullCount: number;
  distinctCount?: number;
  minValue?: Uint8Array;
  maxValue?: Uint8Array;
}

export interface ColumnChunkMeta {
  type: number;
  encodings: number[];
  path: string;
  codec: number;
  numValues: number;
  totalUncompressedSize: number;
  totalCompressedSize: number;
  dataPageOffset: number;
  dictionaryPageOffset?: number;
  statistics: Statistics;
}

export interface RowGroupMeta {
  columns: ColumnChunkMeta[];
  numRows: number;
  fileOffset: number;
}

export interface SchemaColumn {
  name: string;
  type: number;
  convertedType?: number;
}

/** A data page header (v1) with RLE definition levels, or a dictionary page header (PLAIN). */
export function pageHeader(
  kind: 'data' | 'dictionary',
  numValues: number,
  encoding: number,
  uncompressedSize: number,
  compressedSize: number,
): Uint8Array {
  const w = new CompactWriter();
  w.i32(1, kind === 'data' ? PageType.DATA_PAGE : PageType.DICTIONARY_PAGE);
  w.i32(2, uncompressedSize);
  w.i32(3, compressedSize);
  w.beginStruct(kind === 'data' ? 5 : 7);
  w.i32(1, numValues);
  w.i32(2, encoding);
  if (kind === 'data') {
    w.i32(3, Encoding.RLE);
    w.i32(4, Encoding.RLE);
  }
  w.endStruct();
  w.endStruct();
  return w.bytes();
}

function statistics(w: CompactWriter, s: Statistics): void {
  w.beginStruct(12);
  if (s.max !== undefined) w.binary(1, s.max);
  if (s.min !== undefined) w.binary(2, s.min);
  w.i64(3, s.nullCount);
  if (s.distinctCount !== undefined) w.i64(4, s.distinctCount);
  if (s.maxValue !== undefined) w.binary(5, s.maxValue);
  if (s.minValue !== undefined) w.binary(6, s.minValue);
  if (s.maxValue !== undefined) w.bool(7, true);
  if (s.minValue !== undefined) w.bool(8, true);
  w.endStruct();
}

/** The footer's FileMetaData. */
export function fileMetaData(
  schema: readonly SchemaColumn[],
  numRows: number,
  rowGroups: readonly RowGroupMeta[],
  createdBy: string,
): Uint8Array {
  const w = new CompactWriter();
  w.i32(1, 1);
  w.listHeader(2, CT.STRUCT, schema.length + 1);
  w.beginStruct();
  w.i32(3, Repetition.REQUIRED);
  w.string(4, 'schema');
  w.i32(5, schema.length);
  w.endStruct();
  for (const c of schema) {
    w.beginStruct();
    w.i32(1, c.type);
    w.i32(3, Repetition.OPTIONAL);
    w.string(4, c.name);
    if (c.convertedType !== undefined) w.i32(6, c.convertedType);
    w.endStruct();
  }
  w.i64(3, numRows);
  w.listHeader(4, CT.STRUCT, rowGroups.length);
  for (const g of rowGroups) {
    w.beginStruct();
    w.listHeader(1, CT.STRUCT, g.columns.length);
    let uncompressed = 0,
      compressed = 0;
    for (const c of g.columns) {
      uncompressed += c.totalUncompressedSize;
      compressed += c.totalCompressedSize;
      w.beginStruct();
      w.i64(2, c.dictionaryPageOffset ?? c.dataPageOffset);
      w.beginStruct(3);
      w.i32(1, c.type);
      w.listHeader(2, CT.I32, c.encodings.length);
      for (const e of c.encodings) w.zigzag(e);
      w.listHeader(3, CT.BINARY, 1);
      const name = new TextEncoder().encode(c.path);
      w.varint(name.length);
      w.raw(name);
      w.i32(4, c.codec);
      w.i64(5, c.numValues);
      w.i64(6, c.totalUncompressedSize);
      w.i64(7, c.totalCompressedSize);
      w.i64(9, c.dataPageOffset);
      if (c.dictionaryPageOffset !== undefined) w.i64(11, c.dictionaryPageOffset);
      statistics(w, c.statistics);
      w.endStruct();
      w.endStruct();
    }
    w.i64(2, uncompressed);
    w.i64(3, g.numRows);
    w.i64(5, g.fileOffset);
    w.i64(6, compressed);
    w.endStruct();
  }
  w.string(6, createdBy);
  w.listHeader(7, CT.STRUCT, schema.length);
  for (let k = 0; k < schema.length; k++) {
    w.beginStruct(); // ColumnOrder union
    w.beginStruct(1); // TYPE_ORDER: TypeDefinedOrder {}
    w.endStruct();
    w.endStruct();
  }
  w.endStruct();
  return w.bytes();
}
