/**
 * How long a batch added to a live engine blocks the event loop (what a service's requests wait):
 * build an index of the corpus minus its last `--batch` documents, then `addAllParallel` those
 * while a 1 ms timer records every gap over 8 ms, including the last one up to the batch's end.
 *
 *   npx tsx bench/write-stall.ts [--corpus ../shared/corpus/xwlb-news/corpus.jsonl] [--batch 1000]
 */
import { readFileSync } from 'node:fs'
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
