/**
 * How long a batch added to a live engine blocks the event loop (what a service's requests wait):
 * build an index of the corpus minus its last `--batch` documents, then `addAllParallel` those
 * while a 1 ms timer records every gap over 8 ms, including the last one up to the batch's end;
 * then `save()` of the result the same way (the event loop is blocked while the file is encoded),
 * and the median of five `toBytes()` calls.
 *
 *   npx tsx bench/write-stall.ts [--corpus ../shared/corpus/xwlb-news/corpus.jsonl] [--batch 1000]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SearchEngine } from '../src/index.js'
import { optNumber, optString, parseCli } from './lib/cli.js'

const opts = parseCli(process.argv.slice(2))
const corpus = optString(opts, 'corpus') ?? '/work/shared/corpus/xwlb-news/corpus.jsonl'
const batchSize = optNumber(opts, 'batch', 1000)
const docs = readFileSync(corpus, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => {
    const o = JSON.parse(l) as { id: string; title?: string; text?: string }
    return { id: o.id, title: o.title ?? '', body: o.text ?? '' }
  })
const engine = new SearchEngine()
await engine.addAllParallel(docs.slice(0, docs.length - batchSize))
engine.warm()
await engine.warmWorkers()
const gaps: { at: number; ms: number }[] = []
const t0 = performance.now()
let last = t0
const timer = setInterval(() => {
  const now = performance.now()
  if (now - last > 8) gaps.push({ at: last - t0, ms: now - last })
  last = now
}, 1)
await engine.addAllParallel(docs.slice(docs.length - batchSize))
const end = performance.now()
clearInterval(timer)
const final = end - last
const longest = Math.max(final, ...gaps.map((g) => g.ms))
console.log(`${docs.length - batchSize} documents indexed, ${batchSize} added in ${(end - t0).toFixed(0)} ms`)
console.log(`event-loop blocks over 8 ms: ${gaps.length}; longest ${longest.toFixed(1)} ms; the last (visible step) ${final.toFixed(1)} ms`)
console.log(gaps.map((g) => `${g.at.toFixed(0)}+${g.ms.toFixed(0)}`).join(' '))

// ---- the save of the result: one block while the file is encoded, then the asynchronous write
const dir = mkdtempSync(join(tmpdir(), 'jiansuo-stall-'))
try {
  // The first save allocates the file's buffer; the next ones (after a few more writes, as a
  // service saves) pack into the buffer of the one before.
  for (const [label, adds] of [['first save', 0], ['next save, after 10 adds', 10]] as const) {
    for (let i = 0; i < adds; i++) engine.add({ ...docs[i]!, id: `stall-${label.length}-${i}` })
    let longestSave = 0
    let beat = performance.now()
    const saveTimer = setInterval(() => {
      const now = performance.now()
      longestSave = Math.max(longestSave, now - beat)
      beat = now
    }, 1)
    const s0 = performance.now()
    await engine.save(join(dir, 'index.jsz'))
    const saveMs = performance.now() - s0
    clearInterval(saveTimer)
    console.log(`${label}: ${saveMs.toFixed(0)} ms in all, longest event-loop block ${longestSave.toFixed(1)} ms`)
  }
  const encodes: number[] = []
  for (let i = 0; i < 5; i++) {
    const e0 = performance.now()
    engine.toBytes()
    encodes.push(performance.now() - e0)
  }
  encodes.sort((a, b) => a - b)
  console.log(`toBytes() of the saved state (a fresh buffer each): median ${encodes[2]!.toFixed(1)} ms of 5 (${encodes[0]!.toFixed(1)}–${encodes[4]!.toFixed(1)})`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
