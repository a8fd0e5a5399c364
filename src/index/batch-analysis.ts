/**
 * The unit of work of a parallel build, the same on a worker and on the calling thread: analyze
 * a batch of documents into grouped terms and compress their stored forms. One function for both
 * keeps a parallel build byte-identical to a serial one.
 */
import type { Analyzer } from '../analysis/analyzer.js'
import { groupByTerm, type DocumentTerms } from './document-terms.js'
import { encodeStored } from './document-store.js'

export interface BatchInput {
  /** Per document, its searchable fields' texts in field order. */
  texts: string[][]
  /** Per document, its stored JSON. */
  stored: string[]
}

export interface BatchOutput {
  terms: DocumentTerms[]
  /** Compressed stored documents, back to back: document i is `bytes[offsets[i] .. offsets[i+1])`. */
  bytes: Uint8Array
  offsets: Uint32Array
}

export function analyzeBatch(analyzer: Analyzer, input: BatchInput, dictionary: Uint8Array): BatchOutput {
  const terms = input.texts.map((fields) => groupByTerm(fields.map((text) => analyzer.analyzeTerms(text))))
  const parts = input.stored.map((json) => encodeStored(json, dictionary))
  // One buffer per batch: zlib's results are views into 16 KB chunks, and one buffer transfers whole.
  const offsets = new Uint32Array(parts.length + 1)
  parts.forEach((part, i) => (offsets[i + 1] = offsets[i]! + part.length))
  const bytes = new Uint8Array(offsets[parts.length]!)
  parts.forEach((part, i) => bytes.set(part, offsets[i]!))
  return { terms, bytes, offsets }
}

/** The buffers a batch output can move (not copy) to another thread. */
export function transferList(output: BatchOutput): ArrayBuffer[] {
  const buffers = output.terms.flatMap((t) => [t.freqs.buffer, t.posStart.buffer, t.positions.buffer, t.pairs.buffer] as ArrayBuffer[])
  buffers.push(output.bytes.buffer as ArrayBuffer, output.offsets.buffer as ArrayBuffer)
  return buffers
}
