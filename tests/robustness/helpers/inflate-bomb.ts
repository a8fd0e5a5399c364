/**
 * Child process for crafted-files.test.ts (row 4): one stored document replaced by a deflate bomb
 * (256 MiB of UTF-16 JSON text compressed to ~256 KB), checksum fixed. Reads it through get() and
 * search() and prints one JSON line: the file size, the error codes, and how much the peak RSS grew.
 *
 *   node --import tsx tests/robustness/helpers/inflate-bomb.ts
 */
import { createDeflateRaw } from 'node:zlib'
import { SearchEngine } from '../../../src/index.js'
import { sampleArticles, thrown } from './common.js'
import { assembleIndex, replaceStored, splitIndex } from './index-file.js'

const BOMB_BYTES = 256 * 1024 * 1024

/** Deflate `{"id":"a03","title":"aaaa…` in 1 MiB chunks, so making the bomb needs no big buffer. */
async function bomb(dictionary: Uint8Array): Promise<Uint8Array> {
  const deflate = createDeflateRaw({ level: 9, ...(dictionary.length ? { dictionary } : {}) })
  const out: Buffer[] = []
  deflate.on('data', (chunk: Buffer) => out.push(chunk))
  const done = new Promise((resolve) => deflate.on('end', resolve))
  deflate.write(Buffer.from('{"id":"a03","title":"', 'utf16le'))
  const chunk = Buffer.from('a'.repeat(512 * 1024), 'utf16le')
  for (let written = 0; written < BOMB_BYTES; written += chunk.length) {
    if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve))
  }
  deflate.end()
  await done
  return Buffer.concat(out)
}

const engine = new SearchEngine()
engine.addAll(sampleArticles())
const parts = splitIndex(engine.toBytes())
replaceStored(parts.body, 2, await bomb(parts.body.stored.dictionary))
const file = assembleIndex(parts.prefix, parts.header, parts.body)
const loaded = SearchEngine.fromBytes(file)
const before = process.resourceUsage().maxRSS
const get = thrown(() => loaded.get('a03'))
const search = thrown(() => loaded.search('雷锋'))
const peakGrowthMiB = Math.round((process.resourceUsage().maxRSS - before) / 1024)
console.log(JSON.stringify({ fileBytes: file.length, get, search, peakGrowthMiB }))
