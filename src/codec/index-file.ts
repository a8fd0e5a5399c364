/**
 * The index file format (version 2):
 *
 *   magic "JSUO" (4 bytes) · format version (u16 LE) · reserved (u16) · header length (u32 LE)
 *   · header (msgpack: writer, analyzer fingerprint, fields with boosts, typed fields, BM25
 *     params, counts)
 *   · body (msgpack: ids, stored documents, field lengths, postings as varint byte strings,
 *     columns)
 *   · CRC32 of everything before it (u32 LE)
 *
 * Version 2 added the typed fields (header `columns`) and their values (body `columns`: per
 * number/date column the Float64 values, little-endian; per keyword column its sorted
 * dictionary, per-document value counts as varints and the ordinals as varints), and the
 * adjacent Han character pairs of the documents (body `pairs`: ascending keys as varint gaps;
 * see index/pair-set.ts). A version 1 file is a version 2 file without typed fields and without
 * pairs (rebuilt from the stored documents on first use), and loads as one.
 *
 * Readers check, in order: length and magic (NOT_AN_INDEX), checksum (INDEX_CORRUPT), version
 * range (FORMAT_TOO_OLD / FORMAT_TOO_NEW), then decode and check the structure (every part of
 * the type written, tables that tile their streams, every posting walked once: see
 * index/segment-check.ts); any failure is INDEX_CORRUPT.
 * The analyzer fingerprint is compared by the engine (ANALYZER_MISMATCH).
 */
import { crc32 } from 'node:zlib'
import { Packr } from 'msgpackr'
import { JiansuoError } from '../errors.js'
import type { IndexSnapshot } from '../index/inverted-index.js'
import type { ColumnSpec, FrozenColumn } from '../index/columns.js'
import type { FrozenPostings } from '../index/postings.js'
import type { FrozenDocuments } from '../index/document-store.js'
import type { AnalyzerFingerprint } from '../analysis/analyzer.js'
import { ByteReader, ByteWriter } from '../index/varint.js'
import { checkFrozenSegment } from '../index/segment-check.js'

export const MAGIC = Uint8Array.from([0x4a, 0x53, 0x55, 0x4f]) // "JSUO"
export const FORMAT_VERSION = 2
/** Oldest format this reader still understands. */
export const MIN_FORMAT_VERSION = 1
const PREFIX = 12
const CRC = 4

export interface IndexHeader {
  writer: string
  fingerprint: AnalyzerFingerprint
  fields: { name: string; boost: number }[]
  /** Typed fields (format 2; absent in version 1 files, which have none). */
  columns?: ColumnSpec[]
  bm25: { k1: number; b: number }
  ranking: { coordination: number; proximity: number; expansionWeight: number }
  store: true | string[]
  documentCount: number
  termCount: number
}

const packr = new Packr({ useRecords: false, moreTypes: false })

/**
 * The index file's bytes. `allocate(size)` gives the buffer they are packed into (at least `size`
 * bytes; not zeroed: every byte of the file is written); the result is a view of its start.
 */
export function encodeIndex(header: IndexHeader, snapshot: IndexSnapshot, allocate: (size: number) => Buffer = Buffer.allocUnsafeSlow): Uint8Array {
  const headerBytes = packr.pack(header)
  const body = {
    ids: encodeIds(snapshot.ids),
    stored: encodeStored(snapshot.stored),
    lengths: snapshot.lengths.map(encodeVarints),
    postings: encodePostings(snapshot.postings),
    columns: snapshot.columns.map(encodeColumn),
    ...(snapshot.pairs ? { pairs: encodeAscending(snapshot.pairs) } : {}),
  }
  const bodyStart = PREFIX + headerBytes.length
  // A Buffer: msgpackr writes strings with Buffer's utf8Write.
  const size = bodyStart + packedSizeBound(body) + PACK_SLACK + CRC
  const out = allocate(size)
  if (out.length < size) throw new RangeError(`encodeIndex: a buffer of ${out.length} bytes for ${size}`)
  out.set(headerBytes, PREFIX)
  const packed = packInto(out.subarray(bodyStart), body)
  // Packed where it belongs unless the bound was short (then msgpackr grew a buffer of its own).
  if (packed.buffer !== out.buffer) out.set(packed, bodyStart)
  const file = new Uint8Array(out.buffer, out.byteOffset, bodyStart + packed.length + CRC)
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength)
  file.set(MAGIC, 0)
  view.setUint16(4, FORMAT_VERSION, true)
  view.setUint16(6, 0, true)
  view.setUint32(8, headerBytes.length, true)
  view.setUint32(file.length - CRC, crc32(file.subarray(0, file.length - CRC)) >>> 0, true)
  return file
}

/** Room msgpackr wants free beyond what it writes (it starts a new buffer within 2 KiB of the end). */
const PACK_SLACK = 4096

/**
 * `value` packed straight into `target`: msgpackr would otherwise grow a buffer of its own by
 * doubling and the file be copied out of it again — about three times the file of fresh memory,
 * and touching fresh pages was most of a save's time (29 MB of xwlb: 120–400 ms). msgpackr's write
 * buffer is shared by every Packr, so it is handed a small one of its own again at once.
 */
function packInto(target: Buffer, value: unknown): Uint8Array {
  packr.useBuffer(target)
  try {
    return packr.pack(value)
  } finally {
    packr.useBuffer(Buffer.allocUnsafeSlow(8192))
  }
}

/** At least the bytes msgpack takes for `value` (the body's maps, arrays, strings, numbers and byte arrays). */
function packedSizeBound(value: unknown): number {
  if (value instanceof Uint8Array) return 5 + value.byteLength
  if (ArrayBuffer.isView(value)) return 7 + value.byteLength
  if (typeof value === 'string') return 5 + 3 * value.length
  if (Array.isArray(value)) {
    let n = 5
    for (const item of value) n += packedSizeBound(item)
    return n
  }
  if (value !== null && typeof value === 'object') {
    let n = 5
    for (const [key, item] of Object.entries(value)) n += 5 + 3 * key.length + packedSizeBound(item)
    return n
  }
  return 9
}

function corrupt(what: string, cause?: unknown): never {
  throw new JiansuoError('INDEX_CORRUPT', `The index file is damaged (${what}); rebuild it from the source documents or restore a backup.`, {
    cause,
  })
}

/** Check magic, checksum and version, and decode the header only. */
export function readHeader(bytes: Uint8Array): { header: IndexHeader; version: number; bodyStart: number } {
  if (bytes.length < MAGIC.length || !MAGIC.every((b, i) => bytes[i] === b)) {
    throw new JiansuoError('NOT_AN_INDEX', `The data does not start with the jiansuo magic bytes "JSUO" (${bytes.length} bytes given); pass a file written by engine.save().`)
  }
  if (bytes.length < PREFIX + CRC) corrupt(`only ${bytes.length} bytes, truncated`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const stored = view.getUint32(bytes.length - CRC, true)
  const actual = crc32(bytes.subarray(0, bytes.length - CRC)) >>> 0
  if (stored !== actual) corrupt(`checksum ${actual.toString(16)} ≠ recorded ${stored.toString(16)}: truncated or modified`)
  const version = view.getUint16(4, true)
  if (version < MIN_FORMAT_VERSION) {
    throw new JiansuoError('FORMAT_TOO_OLD', `The index file has format version ${version}; this jiansuo reads versions ${MIN_FORMAT_VERSION}–${FORMAT_VERSION}. Rebuild the index with this version.`)
  }
  if (version > FORMAT_VERSION) {
    throw new JiansuoError('FORMAT_TOO_NEW', `The index file has format version ${version}; this jiansuo reads versions ${MIN_FORMAT_VERSION}–${FORMAT_VERSION}. Upgrade jiansuo or rebuild the index.`)
  }
  const headerLength = view.getUint32(8, true)
  if (PREFIX + headerLength > bytes.length - CRC) corrupt('header length past the end')
  let header: IndexHeader
  try {
    header = packr.unpack(bytes.subarray(PREFIX, PREFIX + headerLength)) as IndexHeader
  } catch (err) {
    corrupt('header does not decode', err)
  }
  checkHeader(header)
  return { header, version, bodyStart: PREFIX + headerLength }
}

/** A header that decodes but does not have the shape this version writes is damage, not options. */
function checkHeader(h: IndexHeader): void {
  const isString = (v: unknown) => typeof v === 'string'
  const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v)
  const isStrings = (v: unknown) => Array.isArray(v) && v.every(isString)
  if (!h || typeof h !== 'object') corrupt('header is not an object')
  if (!Array.isArray(h.fields) || h.fields.length === 0 || !h.fields.every((f) => f && isString(f.name) && isNumber(f.boost))) corrupt('header field list is malformed')
  const types = ['date', 'keyword', 'number']
  if (h.columns !== undefined && (!Array.isArray(h.columns) || !h.columns.every((c) => c && isString(c.name) && types.includes(c.type)))) corrupt('header typed-field list is malformed')
  const fp = h.fingerprint
  if (!fp || !isString(fp.segmenter) || !isString(fp.segmenterVersion) || !isString(fp.dictionaryHash) || !isNumber(fp.normalizerVersion) || typeof fp.traditionalToSimplified !== 'boolean' || !isStrings(fp.stopwords) || !isStrings(fp.userWords)) {
    corrupt('analyzer fingerprint is malformed')
  }
  if (!h.bm25 || !isNumber(h.bm25.k1) || !isNumber(h.bm25.b)) corrupt('BM25 parameters are malformed')
  if (!h.ranking || !isNumber(h.ranking.coordination) || !isNumber(h.ranking.proximity) || !isNumber(h.ranking.expansionWeight)) corrupt('ranking parameters are malformed')
  if (h.store !== true && !isStrings(h.store)) corrupt('store list is malformed')
  if (!isNumber(h.documentCount) || !isNumber(h.termCount)) corrupt('counts are malformed')
}

export function decodeIndex(bytes: Uint8Array): { header: IndexHeader; snapshot: IndexSnapshot } {
  const { header, bodyStart } = readHeader(bytes)
  try {
    const body = packr.unpack(bytes.subarray(bodyStart, bytes.length - CRC)) as {
      ids: { shared: Uint8Array; suffixes: string[] }
      stored: { offsets: Uint8Array; bytes: Uint8Array; dictionary: Uint8Array }
      lengths: Uint8Array[]
      postings: EncodedPostings
      columns?: EncodedColumn[]
      pairs?: Uint8Array
    }
    // msgpack can hold any shape: every part must be the type this version writes.
    const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array
    if (!body || typeof body !== 'object' || Array.isArray(body)) corrupt('body is not an object')
    const fields = header.fields.map((f) => f.name)
    const ids = decodeIds(body.ids)
    const n = ids.length
    const s = body.stored
    if (!s || !isBytes(s.bytes) || !isBytes(s.offsets) || !isBytes(s.dictionary)) corrupt('document table missing')
    const stored = decodeStored(s, n)
    if (!Array.isArray(body.lengths) || body.lengths.length !== fields.length || !body.lengths.every(isBytes)) corrupt('field length tables missing')
    const lengths = body.lengths.map((b) => decodeVarints(b, n))
    const p = body.postings
    if (!p || !isBytes(p.table) || !isBytes(p.docs) || !isBytes(p.freqs) || !isBytes(p.pos)) corrupt('postings streams missing')
    const postings = decodePostings(p, n)
    checkFrozenSegment(postings, lengths, n)
    if (new Set(ids).size !== n) corrupt('document ids are not unique')
    const specs = header.columns ?? []
    const encoded = body.columns ?? []
    if (!Array.isArray(encoded) || encoded.length !== specs.length) corrupt('column tables do not match the typed fields')
    const columns = specs.map((spec, c) => decodeColumn(spec, encoded[c]!, n))
    if (body.pairs !== undefined && !isBytes(body.pairs)) corrupt('character pair table is not bytes')
    const pairs = body.pairs === undefined ? undefined : decodeAscending(body.pairs)
    return { header, snapshot: { fields, ids, stored, lengths, postings, columns, ...(pairs ? { pairs } : {}) } }
  } catch (err) {
    if (err instanceof JiansuoError) throw err
    corrupt('body does not decode', err)
  }
}

/** A column in the file: numeric values as little-endian Float64 bytes, or a keyword table. */
interface EncodedColumn {
  values?: Uint8Array
  dictionary?: string[]
  /** Per document, how many keyword values it has (varints). */
  counts?: Uint8Array
  /** The documents' ordinals, in document order (varints). */
  ords?: Uint8Array
}

function encodeColumn(c: FrozenColumn): EncodedColumn {
  if (c.values) {
    const bytes = new Uint8Array(c.values.length * 8)
    const view = new DataView(bytes.buffer)
    for (let i = 0; i < c.values.length; i++) view.setFloat64(i * 8, c.values[i]!, true)
    return { values: bytes }
  }
  const start = c.start!
  const counts = new ByteWriter()
  for (let i = 0; i + 1 < start.length; i++) counts.varint(start[i + 1]! - start[i]!)
  return { dictionary: c.dictionary!, counts: counts.bytes(), ords: encodeVarints(c.ords!) }
}

/** A column as the writer guarantees it: one value per document, keywords sorted and in range. */
function decodeColumn(spec: ColumnSpec, e: EncodedColumn, count: number): FrozenColumn {
  if (!e || typeof e !== 'object') corrupt(`column ${spec.name} missing`)
  if (spec.type !== 'keyword') {
    if (!(e.values instanceof Uint8Array) || e.values.length !== count * 8) corrupt(`column ${spec.name} has ${e.values?.length} bytes for ${count} documents`)
    const view = new DataView(e.values.buffer, e.values.byteOffset, e.values.byteLength)
    const values = new Float64Array(count)
    for (let i = 0; i < count; i++) values[i] = view.getFloat64(i * 8, true)
    // NaN is "no value"; ±Infinity is never written.
    if (values.some((v) => v === Infinity || v === -Infinity)) corrupt(`column ${spec.name} holds an infinite value`)
    return { name: spec.name, type: spec.type, values }
  }
  const { dictionary } = e
  if (!Array.isArray(dictionary) || !(e.counts instanceof Uint8Array) || !(e.ords instanceof Uint8Array)) corrupt(`keyword column ${spec.name} missing`)
  for (let i = 0; i < dictionary.length; i++) {
    if (typeof dictionary[i] !== 'string' || (i > 0 && !(dictionary[i - 1]! < dictionary[i]!))) corrupt(`keyword column ${spec.name} has an unsorted dictionary`)
  }
  const counts = decodeVarints(e.counts, count)
  const start = new Uint32Array(count + 1)
  for (let i = 0; i < count; i++) start[i + 1] = start[i]! + counts[i]!
  const reader = new ByteReader(e.ords)
  const ords = new Uint32Array(start[count]!)
  for (let doc = 0; doc < count; doc++) {
    for (let k = start[doc]!; k < start[doc + 1]!; k++) {
      ords[k] = reader.varint()
      // Within a document ordinals strictly ascend (no value twice), all inside the dictionary.
      if (ords[k]! >= dictionary.length || (k > start[doc]! && ords[k]! <= ords[k - 1]!)) corrupt(`keyword column ${spec.name} has an ordinal out of order or range`)
    }
  }
  if (!reader.done) corrupt(`keyword column ${spec.name} has trailing ordinals`)
  return { name: spec.name, type: 'keyword', dictionary, start, ords }
}

interface EncodedPostings {
  /** Sorted terms joined by "\n" (terms never contain whitespace). */
  terms: string
  /** Per term: number of documents, then byte lengths in the docs, freqs and pos streams (varints). */
  table: Uint8Array
  /** Per entry: doc id gap from the previous entry of the same term. */
  docs: Uint8Array
  /** Per entry and field: frequency. */
  freqs: Uint8Array
  /** Per entry and field: position gaps (first from 0). */
  pos: Uint8Array
}

/** Ids front-coded: how many leading code units each shares with the previous id, then the rest. */
function encodeIds(ids: readonly string[]): { shared: Uint8Array; suffixes: string[] } {
  const shared = new ByteWriter()
  const suffixes: string[] = []
  let prev = ''
  for (const id of ids) {
    let k = 0
    const max = Math.min(prev.length, id.length)
    while (k < max && prev.charCodeAt(k) === id.charCodeAt(k)) k++
    // Never cut between the halves of a surrogate pair.
    if (k > 0 && k < id.length && id.charCodeAt(k) >= 0xdc00 && id.charCodeAt(k) <= 0xdfff) k--
    shared.varint(k)
    suffixes.push(id.slice(k))
    prev = id
  }
  return { shared: shared.bytes(), suffixes }
}

function decodeIds(e: { shared: Uint8Array; suffixes: string[] }): string[] {
  if (!e || !(e.shared instanceof Uint8Array) || !Array.isArray(e.suffixes)) corrupt('document ids missing')
  const shared = decodeVarints(e.shared, e.suffixes.length)
  const ids: string[] = []
  let prev = ''
  for (let i = 0; i < e.suffixes.length; i++) {
    const suffix = e.suffixes[i]
    if (typeof suffix !== 'string' || shared[i]! > prev.length) corrupt('document id table is inconsistent')
    prev = prev.slice(0, shared[i]) + suffix
    if (prev.length === 0) corrupt('an empty document id')
    ids.push(prev)
  }
  return ids
}

/** Stored documents: per-document compressed sizes as varints, then the bytes as they are. */
function encodeStored(s: FrozenDocuments): { offsets: Uint8Array; bytes: Uint8Array; dictionary: Uint8Array } {
  const sizes = new ByteWriter()
  for (let i = 0; i + 1 < s.offsets.length; i++) sizes.varint(s.offsets[i + 1]! - s.offsets[i]!)
  return { offsets: sizes.bytes(), bytes: s.bytes, dictionary: s.dictionary }
}

function decodeStored(e: { offsets: Uint8Array; bytes: Uint8Array; dictionary: Uint8Array }, count: number): FrozenDocuments {
  const sizes = decodeVarints(e.offsets, count)
  const offsets = new Uint32Array(count + 1)
  for (let i = 0; i < count; i++) offsets[i + 1] = offsets[i]! + sizes[i]!
  if (offsets[count] !== e.bytes.length) corrupt('stored document sizes do not match their bytes')
  return { offsets, bytes: e.bytes.slice(), dictionary: e.dictionary.slice() }
}

/** Ascending distinct keys as gaps (the first from 0). */
function encodeAscending(keys: Uint32Array): Uint8Array {
  const w = new ByteWriter()
  let prev = 0
  for (let i = 0; i < keys.length; i++) {
    w.varint(keys[i]! - prev)
    prev = keys[i]!
  }
  return w.bytes()
}

/** Keys written by `encodeAscending`: every gap after the first is non-zero, every key below 2³². */
function decodeAscending(bytes: Uint8Array): Uint32Array {
  const r = new ByteReader(bytes)
  // At least one byte per key: a table of n bytes holds at most n keys.
  const keys = new Uint32Array(bytes.length)
  let n = 0
  let key = 0
  while (!r.done) {
    const gap = r.varint()
    key += gap
    if ((n > 0 && gap === 0) || key > 0xffffffff) corrupt('character pair table is not strictly ascending')
    keys[n++] = key
  }
  return keys.slice(0, n)
}

function encodeVarints(values: ArrayLike<number>): Uint8Array {
  const w = new ByteWriter()
  for (let i = 0; i < values.length; i++) w.varint(values[i]!)
  return w.bytes()
}

function decodeVarints(bytes: Uint8Array, count: number): Uint32Array {
  const r = new ByteReader(bytes)
  const out = new Uint32Array(count)
  for (let i = 0; i < count; i++) out[i] = r.varint()
  if (!r.done) corrupt('trailing bytes after a varint table')
  return out
}

/** The frozen segment is already varint-encoded: only the per-term table is written here. */
function encodePostings(p: FrozenPostings): EncodedPostings {
  const table = new ByteWriter()
  for (let t = 0; t < p.terms.length; t++) {
    table.varint(p.docCounts[t]!)
    table.varint(p.docsOffset[t + 1]! - p.docsOffset[t]!)
    table.varint(p.freqsOffset[t + 1]! - p.freqsOffset[t]!)
    table.varint(p.posOffset[t + 1]! - p.posOffset[t]!)
  }
  return { terms: p.terms.join('\n'), table: table.bytes(), docs: p.docs, freqs: p.freqs, pos: p.pos }
}

/**
 * Rebuild the per-term offsets and check that they tile the streams exactly; the entries
 * themselves are decoded lazily, per term, when a query first needs them.
 */
function decodePostings(e: EncodedPostings, documentCount: number): FrozenPostings {
  if (typeof e.terms !== 'string' || !(e.table instanceof Uint8Array)) corrupt('postings table missing')
  const terms = e.terms === '' ? [] : e.terms.split('\n')
  const T = terms.length
  const r = new ByteReader(e.table)
  const docCounts = new Uint32Array(T)
  const docsOffset = new Uint32Array(T + 1)
  const freqsOffset = new Uint32Array(T + 1)
  const posOffset = new Uint32Array(T + 1)
  for (let t = 0; t < T; t++) {
    docCounts[t] = r.varint()
    if (docCounts[t] === 0 || docCounts[t]! > documentCount) corrupt(`term ${t} lists ${docCounts[t]} documents`)
    docsOffset[t + 1] = docsOffset[t]! + r.varint()
    freqsOffset[t + 1] = freqsOffset[t]! + r.varint()
    posOffset[t + 1] = posOffset[t]! + r.varint()
  }
  if (!r.done) corrupt('term table has trailing bytes')
  if (docsOffset[T] !== e.docs.length || freqsOffset[T] !== e.freqs.length || posOffset[T] !== e.pos.length) {
    corrupt('term table does not match the postings streams')
  }
  for (let t = 1; t < T; t++) if (!(terms[t - 1]! < terms[t]!)) corrupt('term dictionary is not sorted')
  // Own copies: the streams must not pin the whole file buffer in memory.
  return { terms, docCounts, docsOffset, freqsOffset, posOffset, docs: e.docs.slice(), freqs: e.freqs.slice(), pos: e.pos.slice() }
}
