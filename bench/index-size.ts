/**
 * What an index file spends its bytes on: `npx tsx bench/index-size.ts <index-file>…`.
 * Prints the size of each part, and the file without stored documents (the figure to compare with
 * engines that keep no text, such as a contentless SQLite FTS5 table).
 */
import { readFileSync } from 'node:fs'
import { Packr } from 'msgpackr'
import { readHeader } from '../src/codec/index-file.js'

const mb = (n: number) => (n / 1e6).toFixed(2)

for (const path of process.argv.slice(2)) {
  const bytes = new Uint8Array(readFileSync(path))
  const { header, bodyStart } = readHeader(bytes)
  const body = new Packr({ useRecords: false }).unpack(bytes.subarray(bodyStart, bytes.length - 4)) as {
    ids: { shared: Uint8Array; suffixes: string[] }
    stored: { offsets: Uint8Array; bytes: Uint8Array; dictionary: Uint8Array }
    lengths: Uint8Array[]
    postings: { terms: string; table: Uint8Array; docs: Uint8Array; freqs: Uint8Array; pos: Uint8Array }
  }
  const stored = body.stored.offsets.length + body.stored.bytes.length + body.stored.dictionary.length
  const p = body.postings
  const parts: [string, number][] = [
    ['header', bodyStart],
    ['ids', body.ids.shared.length + body.ids.suffixes.reduce((s, x) => s + Buffer.byteLength(x) + 1, 0)],
    ['field lengths', body.lengths.reduce((s, l) => s + l.length, 0)],
    ['terms', Buffer.byteLength(p.terms)],
    ['term table', p.table.length],
    ['postings: doc gaps', p.docs.length],
    ['postings: frequencies', p.freqs.length],
    ['postings: positions', p.pos.length],
    ['stored documents', stored],
  ]
  console.log(`${path}: ${header.documentCount} documents, ${header.termCount} terms, ${mb(bytes.length)} MB`)
  for (const [name, size] of parts) console.log(`  ${name.padEnd(24)} ${mb(size).padStart(8)} MB`)
  console.log(`  ${'without stored documents'.padEnd(24)} ${mb(bytes.length - stored).padStart(8)} MB`)
}
