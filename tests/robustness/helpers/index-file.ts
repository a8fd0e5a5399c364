/**
 * Crafting index files the way an attacker would: decode the format-1 body (msgpack), change a
 * part, encode it again and recompute the checksum, so only structural checks can notice.
 *
 * Format 1 layout (src/codec/index-file.ts): magic · u16 version · u16 reserved · u32 header
 * length · msgpack header · msgpack body · CRC32 of everything before it.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib'
import { Packr } from 'msgpackr'

const packr = new Packr({ useRecords: false, moreTypes: false })

export interface IndexBody {
  ids: { shared: Uint8Array; suffixes: string[] }
  stored: { offsets: Uint8Array; bytes: Uint8Array; dictionary: Uint8Array }
  lengths: Uint8Array[]
  postings: { terms: string; table: Uint8Array; docs: Uint8Array; freqs: Uint8Array; pos: Uint8Array }
}

export interface IndexParts {
  /** Bytes 0–8: magic, version, reserved. */
  prefix: Uint8Array
  header: Record<string, unknown>
  body: IndexBody
  /** Where the body starts in the file, and its raw bytes. */
  bodyStart: number
  bodyBytes: Uint8Array
}

export function splitIndex(file: Uint8Array): IndexParts {
  const headerLength = new DataView(file.buffer, file.byteOffset).getUint32(8, true)
  const bodyStart = 12 + headerLength
  const bodyBytes = file.subarray(bodyStart, file.length - 4)
  return {
    prefix: file.slice(0, 8),
    header: packr.unpack(file.subarray(12, bodyStart)) as Record<string, unknown>,
    // From a copy: msgpack's byte strings are views, and damage must not reach the caller's file.
    body: packr.unpack(bodyBytes.slice()) as IndexBody,
    bodyStart,
    bodyBytes,
  }
}

/** A file from parts; `body` may be a decoded body (packed again) or raw body bytes. */
export function assembleIndex(prefix: Uint8Array, header: unknown, body: unknown): Uint8Array {
  const headerBytes = packr.pack(header)
  const bodyBytes = body instanceof Uint8Array ? body : packr.pack(body)
  const out = new Uint8Array(12 + headerBytes.length + bodyBytes.length + 4)
  const view = new DataView(out.buffer)
  out.set(prefix.subarray(0, 8))
  view.setUint32(8, headerBytes.length, true)
  out.set(headerBytes, 12)
  out.set(bodyBytes, 12 + headerBytes.length)
  return fixChecksum(out)
}

export function fixChecksum(file: Uint8Array): Uint8Array {
  new DataView(file.buffer, file.byteOffset, file.byteLength).setUint32(file.length - 4, crc32(file.subarray(0, file.length - 4)) >>> 0, true)
  return file
}

export function readVarints(bytes: Uint8Array): number[] {
  const out: number[] = []
  let value = 0
  let shift = 0
  for (const byte of bytes) {
    value += (byte & 0x7f) * 2 ** shift
    if (byte < 0x80) {
      out.push(value)
      value = 0
      shift = 0
    } else shift += 7
  }
  return out
}

export function writeVarints(values: readonly number[]): Uint8Array {
  const out: number[] = []
  for (let v of values) {
    while (v >= 0x80) {
      out.push((v & 0x7f) | 0x80)
      v = Math.floor(v / 128)
    }
    out.push(v)
  }
  return Uint8Array.from(out)
}

/** Stored document `doc`'s compressed bytes, as `[start, end)` in `body.stored.bytes`. */
export function storedRange(body: IndexBody, doc: number): [number, number] {
  const sizes = readVarints(body.stored.offsets)
  let start = 0
  for (let d = 0; d < doc; d++) start += sizes[d]!
  return [start, start + sizes[doc]!]
}

/** Replace stored document `doc` by `bytes` (already compressed), fixing the size table. */
export function replaceStored(body: IndexBody, doc: number, bytes: Uint8Array): void {
  const sizes = readVarints(body.stored.offsets)
  const [start, end] = storedRange(body, doc)
  const old = body.stored.bytes
  const next = new Uint8Array(old.length - (end - start) + bytes.length)
  next.set(old.subarray(0, start))
  next.set(bytes, start)
  next.set(old.subarray(end), start + bytes.length)
  sizes[doc] = bytes.length
  body.stored = { ...body.stored, offsets: writeVarints(sizes), bytes: next }
}

/** A stored document compressed as the writer does (UTF-16LE JSON, raw deflate, the file's dictionary). */
export function compressStored(body: IndexBody, json: string): Uint8Array {
  const dictionary = body.stored.dictionary
  return deflateRawSync(Buffer.from(json, 'utf16le'), dictionary.length ? { dictionary } : {})
}

export function decompressStored(body: IndexBody, doc: number): string {
  const [start, end] = storedRange(body, doc)
  const dictionary = body.stored.dictionary
  return inflateRawSync(body.stored.bytes.subarray(start, end), dictionary.length ? { dictionary } : {}).toString('utf16le')
}
