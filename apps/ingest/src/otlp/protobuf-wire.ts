/**
 * A bounds-checked reader of protobuf wire format over one Buffer: what decode-protobuf.ts needs to
 * read OTLP without building protobufjs messages first. Every read stays inside `limit` (the end of
 * the message being read), so a length prefix that points past its parent is malformed, not a read
 * of the neighbour's bytes.
 */

/** The body is not valid protobuf; the message says where. */
export class WireError extends Error {}

/** Wire types (the low 3 bits of a tag). */
export const VARINT = 0
export const FIXED64 = 1
export const LENGTH_DELIMITED = 2
const START_GROUP = 3
const END_GROUP = 4
const FIXED32 = 5

/** Groups are long deprecated; a body nesting them this deep is hostile, not old. */
const MAX_GROUP_DEPTH = 100

export class WireReader {
  pos = 0
  limit: number

  constructor(readonly buf: Buffer) {
    this.limit = buf.length
  }

  private need(bytes: number): void {
    if (this.pos + bytes > this.limit) throw new WireError(`index out of range: ${this.pos} + ${bytes} > ${this.limit}`)
  }

  /** A varint's low 32 bits, unsigned (tags, lengths, uint32, enums read through `int32`). */
  uint32(): number {
    const { buf } = this
    let value = 0
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.limit) throw new WireError(`truncated varint at offset ${this.pos}`)
      const byte = buf[this.pos++]!
      if (shift < 32) value |= (byte & 0x7f) << shift
      if (byte < 0x80) return value >>> 0
    }
    throw new WireError(`varint longer than 10 bytes at offset ${this.pos}`)
  }

  int32(): number {
    return this.uint32() | 0
  }

  /** As protobufjs reads it: the varint's low 32 bits, non-zero. */
  bool(): boolean {
    return this.uint32() !== 0
  }

  /** A varint as two's-complement 64 bits: [low 32 bits unsigned, high 32 bits signed]. */
  int64Parts(): [number, number] {
    const { buf } = this
    let low = 0
    let high = 0
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.limit) throw new WireError(`truncated varint at offset ${this.pos}`)
      const byte = buf[this.pos++]!
      const bits = byte & 0x7f
      if (shift < 28) low |= bits << shift
      else if (shift === 28) {
        low |= (bits & 0x0f) << 28
        high |= bits >>> 4
      } else high |= bits << (shift - 32)
      if (byte < 0x80) return [low >>> 0, high | 0]
    }
    throw new WireError(`varint longer than 10 bytes at offset ${this.pos}`)
  }

  /** fixed64 as [low, high], both unsigned 32-bit. */
  fixed64Parts(): [number, number] {
    this.need(8)
    const low = this.buf.readUInt32LE(this.pos)
    const high = this.buf.readUInt32LE(this.pos + 4)
    this.pos += 8
    return [low, high]
  }

  double(): number {
    this.need(8)
    const value = this.buf.readDoubleLE(this.pos)
    this.pos += 8
    return value
  }

  /** The end offset of a length-delimited field that starts here (its length read). */
  delimitedEnd(): number {
    const length = this.uint32()
    this.need(length)
    return this.pos + length
  }

  string(): string {
    const end = this.delimitedEnd()
    const text = this.buf.toString('utf8', this.pos, end)
    this.pos = end
    return text
  }

  /** Length-delimited bytes as `encoding` text (ids as hex, attribute bytes as base64). */
  bytesAs(encoding: 'hex' | 'base64'): string {
    const end = this.delimitedEnd()
    const text = this.buf.toString(encoding, this.pos, end)
    this.pos = end
    return text
  }

  /** Skips one field of `wireType` (its tag already read): unknown fields are ignored, as the spec requires. */
  skip(wireType: number, field: number, depth = 0): void {
    if (wireType === VARINT) this.uint32()
    else if (wireType === FIXED64) this.advance(8)
    else if (wireType === LENGTH_DELIMITED) this.pos = this.delimitedEnd()
    else if (wireType === FIXED32) this.advance(4)
    else if (wireType === START_GROUP) {
      if (depth >= MAX_GROUP_DEPTH) throw new WireError(`groups nested deeper than ${MAX_GROUP_DEPTH} levels`)
      for (;;) {
        const tag = this.uint32()
        if ((tag & 7) === END_GROUP) {
          if (tag >>> 3 !== field) throw new WireError(`unmatched end group at offset ${this.pos}`)
          return
        }
        this.skip(tag & 7, tag >>> 3, depth + 1)
      }
    } else throw new WireError(`invalid wire type ${wireType} at offset ${this.pos}`)
  }

  private advance(bytes: number): void {
    this.need(bytes)
    this.pos += bytes
  }
}

/** Throws unless a known field came with the wire type its declaration gives it. */
export function expectWireType(actual: number, expected: number, field: number, pos: number): void {
  if (actual !== expected)
    throw new WireError(`field ${field} has wire type ${actual}, expected ${expected} (offset ${pos})`)
}
