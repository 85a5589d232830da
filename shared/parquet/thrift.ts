/**
 * The Thrift compact protocol, write side only, for Parquet's page headers and file footer.
 * A struct is written field by field in ascending id order; each field header carries the id
 * delta from the previous field of the same struct (a stack keeps one "previous id" per open
 * struct). Integers are zigzag varints; lists carry their size and element type up front.
 * https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md
 */

const CompactType = { True: 1, False: 2, I32: 5, I64: 6, Binary: 8, List: 9, Struct: 12 } as const;
type CompactType = (typeof CompactType)[keyof typeof CompactType];

/** Element types a list may hold (the subset Parquet's metadata uses). */
export type ListElement = 'i32' | 'binary' | 'struct';

const LIST_ELEMENT: Record<ListElement, CompactType> = {
  i32: CompactType.I32,
  binary: CompactType.Binary,
  struct: CompactType.Struct,
};

const utf8 = new TextEncoder();

/** Accumulates one Thrift compact-protocol message; `bytes()` returns what was written. */
export class CompactWriter {
  private buffer = new Uint8Array(256);
  private length = 0;
  private lastFieldId = 0;
  private readonly openStructs: number[] = [];

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  private byte(value: number): void {
    this.ensure(1);
    this.buffer[this.length] = value;
    this.length += 1;
  }

  /** Unsigned varint of a number below 2^53 or of a non-negative bigint. */
  private varint(value: number | bigint): void {
    if (typeof value === 'number' && value < 0x80000000) {
      let v = value;
      while (v > 0x7f) {
        this.byte((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      this.byte(v);
      return;
    }
    let v = BigInt(value);
    while (v > 0x7fn) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  private zigzag(value: number | bigint): void {
    const v = BigInt(value);
    this.varint(v >= 0n ? v << 1n : (-v << 1n) - 1n);
  }

  private fieldHeader(id: number, type: CompactType): void {
    const delta = id - this.lastFieldId;
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.zigzag(id);
    }
    this.lastFieldId = id;
  }

  i32(id: number, value: number): this {
    this.fieldHeader(id, CompactType.I32);
    this.zigzag(value);
    return this;
  }

  i64(id: number, value: number | bigint): this {
    this.fieldHeader(id, CompactType.I64);
    this.zigzag(value);
    return this;
  }

  bool(id: number, value: boolean): this {
    this.fieldHeader(id, value ? CompactType.True : CompactType.False);
    return this;
  }

  binary(id: number, value: Uint8Array | string): this {
    this.fieldHeader(id, CompactType.Binary);
    this.rawBinary(value);
    return this;
  }

  private rawBinary(value: Uint8Array | string): void {
    const bytes = typeof value === 'string' ? utf8.encode(value) : value;
    this.varint(bytes.length);
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Opens a struct-valued field (`id`), or a struct element of a list (no id). */
  beginStruct(id?: number): this {
    if (id !== undefined) this.fieldHeader(id, CompactType.Struct);
    this.openStructs.push(this.lastFieldId);
    this.lastFieldId = 0;
    return this;
  }

  endStruct(): this {
    this.byte(0);
    this.lastFieldId = this.openStructs.pop() ?? 0;
    return this;
  }

  /** A list header; then write `size` elements (structs with `beginStruct()` without an id). */
  beginList(id: number, element: ListElement, size: number): this {
    this.fieldHeader(id, CompactType.List);
    const type = LIST_ELEMENT[element];
    if (size < 15) this.byte((size << 4) | type);
    else {
      this.byte(0xf0 | type);
      this.varint(size);
    }
    return this;
  }

  /** An i32 list element. */
  element(value: number): this {
    this.zigzag(value);
    return this;
  }

  /** A binary (string) list element. */
  binaryElement(value: Uint8Array | string): this {
    this.rawBinary(value);
    return this;
  }

  /** A field holding an empty struct (Parquet's unit types such as `StringType`). */
  emptyStruct(id: number): this {
    return this.beginStruct(id).endStruct();
  }
}
