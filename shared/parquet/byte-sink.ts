/**
 * A growable little-endian byte buffer: the one place page and value bytes are appended to.
 * Backed by a Node Buffer so that strings go to UTF-8 natively (`Buffer#write`), without an
 * intermediate array per string.
 */
export class ByteSink {
  private buffer: Buffer;
  length = 0;

  constructor(capacity = 1024) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  /** Makes room for `extra` more bytes. */
  ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  /** The bytes written so far (a view, valid until the next write). */
  view(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }

  u8(value: number): void {
    this.ensure(1);
    this.buffer[this.length] = value;
    this.length += 1;
  }

  u32(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32LE(value >>> 0, this.length);
    this.length += 4;
  }

  /** A little-endian 64-bit integer given as its low and high 32-bit halves. */
  u32Pair(low: number, high: number): void {
    this.ensure(8);
    this.buffer.writeInt32LE(low | 0, this.length);
    this.buffer.writeInt32LE(high | 0, this.length + 4);
    this.length += 8;
  }

  /** Overwrites 4 bytes at `at` (a length reserved earlier with `u32(0)`). */
  setU32(at: number, value: number): void {
    this.buffer.writeUInt32LE(value >>> 0, at);
  }

  f64(value: number): void {
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.length);
    this.length += 8;
  }

  /** Unsigned LEB128 of a non-negative number below 2^31. */
  varint(value: number): void {
    let v = value;
    while (v > 0x7f) {
      this.u8((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    this.u8(v);
  }

  bytes(value: Uint8Array): void {
    this.ensure(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  /** A PLAIN BYTE_ARRAY value: 4-byte length, then the UTF-8 bytes of `text`. */
  lengthPrefixedUtf8(text: string): void {
    const length = text.length;
    this.ensure(4 + length * 3);
    const buffer = this.buffer;
    const at = this.length + 4;
    let written = length;
    // Short ASCII text is copied here: cheaper than a call into native code (~50 ns) per string.
    let i = 0;
    if (length <= SHORT_TEXT)
      for (; i < length; i += 1) {
        const code = text.charCodeAt(i);
        if (code >= 0x80) break;
        buffer[at + i] = code;
      }
    if (i < length || length > SHORT_TEXT) written = buffer.write(text, at, 'utf8');
    buffer[at - 4] = written & 0xff;
    buffer[at - 3] = (written >>> 8) & 0xff;
    buffer[at - 2] = (written >>> 16) & 0xff;
    buffer[at - 1] = written >>> 24;
    this.length = at + written;
  }
}

/** Up to this many UTF-16 units, text is copied byte by byte when it is ASCII (measured). */
const SHORT_TEXT = 40;
