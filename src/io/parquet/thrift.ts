/**
 * The Thrift compact protocol, the write side only, for Parquet's footer and page headers.
 *
 * A struct is a sequence of fields, each a header then a value, closed by a STOP byte (0). The
 * header is one byte `(delta << 4) | type` when the field id is 1..15 above the previous field's
 * id, else the type byte followed by the id as a zigzag varint. Integers (i16, i32, i64) are
 * zigzag varints (`(n << 1) ^ (n >> 63)`, 7 bits a byte, low group first, high bit = more);
 * binary and strings a varint length then the bytes; a list a header `(size << 4) | elemType`
 * (size < 15) or `0xF0 | elemType` then the size as a varint; booleans in a field live in the
 * header's type (1 true, 2 false). Nested structs restart field ids from 0.
 *
 * i64 values are JavaScript numbers here (file offsets and counts, all below 2^53), written with
 * arithmetic rather than 32-bit operators so they stay exact above 2^31.
 */

/** Compact protocol type codes. */
export const CT = {
  STOP: 0,
  TRUE: 1,
  FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
} as const;
export type CompactType = (typeof CT)[keyof typeof CT];

const encoder = new TextEncoder();

/** A growable byte buffer with the compact protocol's writes. */
export class CompactWriter {
  private buf = new Uint8Array(256);
  private len = 0;
  /** Last field id of each open struct (the innermost last). */
  private readonly ids: number[] = [0];

  get length(): number {
    return this.len;
  }

  /** The bytes written so far (a copy). */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.len++] = b & 0xff;
  }

  /** Unsigned varint of a non-negative integer below 2^53. */
  varint(n: number): void {
    this.room(10);
    while (n >= 0x80) {
      this.buf[this.len++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.len++] = n;
  }

  /** Zigzag varint of an integer with |n| < 2^52. */
  zigzag(n: number): void {
    this.varint(n >= 0 ? 2 * n : -2 * n - 1);
  }

  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  /** A field header for field `id` of compact type `type`. */
  field(id: number, type: CompactType): void {
    const last = this.ids[this.ids.length - 1];
    const delta = id - last;
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.zigzag(id);
    }
    this.ids[this.ids.length - 1] = id;
  }

  i32(id: number, n: number): void {
    this.field(id, CT.I32);
    this.zigzag(n);
  }

  i64(id: number, n: number): void {
    this.field(id, CT.I64);
    this.zigzag(n);
  }

  bool(id: number, b: boolean): void {
    this.field(id, b ? CT.TRUE : CT.FALSE);
  }

  binary(id: number, bytes: Uint8Array): void {
    this.field(id, CT.BINARY);
    this.varint(bytes.length);
    this.raw(bytes);
  }

  string(id: number, s: string): void {
    this.binary(id, encoder.encode(s));
  }

  /** A list header (as a field when `id` is given, else bare, e.g. as a list element). */
  listHeader(id: number, elemType: CompactType, size: number): void {
    this.field(id, CT.LIST);
    if (size < 15) this.byte((size << 4) | elemType);
    else {
      this.byte(0xf0 | elemType);
      this.varint(size);
    }
  }

  /** Opens a struct field (`id` given) or a struct list element (`id` undefined). */
  beginStruct(id?: number): void {
    if (id !== undefined) this.field(id, CT.STRUCT);
    this.ids.push(0);
  }

  /** Closes the innermost struct: the STOP byte. */
  endStruct(): void {
    this.byte(CT.STOP);
    this.ids.pop();
  }
}
