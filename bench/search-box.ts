/**
 * The search box on a real corpus: what `query.pinyin` costs (the vocabulary's pinyin, built on
 * first use; memory), what suggestions cost (their build; `suggest()` p50/p99 over prefixes typed
 * from titles: Han, pinyin, initials), and pinyin queries against the Han words they spell.
 *
 *   npm run bench:search-box -- [--corpus ../shared/corpus/xwlb-news/corpus.jsonl] [--prefixes 3000] [--md <file>]
 *
 * One process, jiansuo from src/, run with --expose-gc (heap figures after a full GC). The index
 * (title boost 2 + text) is built once and cached under bench/.cache/ per corpus and src/ hash.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SearchEngine, type Document } from '../src/index.js'
import { pinyinKeys } from '../src/analysis/pinyin.js'
import { loadDocs } from './lib/corpus.js'
import { optNumber, optString, parseCli } from './lib/cli.js'
import { srcFingerprint } from './lib/fingerprint.js'
import { DEFAULT_SEED, mulberry32, shuffle } from './lib/random.js'
import { fmt, markdownTable, median } from './lib/stats.js'

const DEFAULT_CORPUS = '/work/shared/corpus/xwlb-news/corpus.jsonl'
const log = (msg: string) => process.stderr.write(`${msg}\n`)
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
const heapMb = () => (gc(), gc(), process.memoryUsage().heapUsed / 2 ** 20)

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!
}

/** Microsecond timings of `fn` over `inputs`, one call each. */
function timings<T>(inputs: readonly T[], fn: (x: T) => unknown): number[] {
  return inputs.map((x) => {
    const t0 = performance.now()
    fn(x)
    return (performance.now() - t0) * 1000
  })
}

async function main() {
  const opts = parseCli(process.argv.slice(2), ['corpus'])
  const corpus = resolve(opts.get('corpus')?.[0] ?? DEFAULT_CORPUS)
  const prefixCount = optNumber(opts, 'prefixes', 3_000)
  const src = srcFingerprint()
  const docs = loadDocs({ sources: [corpus] })
  log(`${docs.length} documents from ${corpus}`)
  const key = createHash('sha1').update(corpus).update(String(statSync(corpus).size)).update(src.srcHash).digest('hex').slice(0, 12)
  const cachePath = fileURLToPath(new URL(`./.cache/search-box-${key}.jiansuo`, import.meta.url))
  if (!existsSync(cachePath)) {
    log('building the index (addAll, one thread)…')
    const e = new SearchEngine({ fields: { title: { boost: 2 }, text: {} } })
    e.addAll(docs as unknown as Document[])
    mkdirSync(dirname(cachePath), { recursive: true })
    await e.save(cachePath)
  }
  const loadAvg = [loadavg()[0]!]

  // ---- pinyin: the vocabulary's keys, built by the first pinyin query
  const plain = await SearchEngine.load(cachePath, { warm: true })
  const before = heapMb()
  const engine = await SearchEngine.load(cachePath, { query: { pinyin: true } })
  plain.search('预热', { limit: 1 })
  const loaded = heapMb()
  // The first search with pinyin on reads the vocabulary's pinyin (did-you-mean needs it for any query).
  let t0 = performance.now()
  engine.search('预热', { limit: 1 })
  const vocabularyMs = performance.now() - t0
  const withPinyin = heapMb()
  t0 = performance.now()
  engine.suggest('乡村')
  const suggestBuildMs = performance.now() - t0
  const withSuggest = heapMb()
  log(`pinyin vocabulary ${vocabularyMs.toFixed(0)} ms, +${(withPinyin - loaded).toFixed(1)} MB; suggestions ${suggestBuildMs.toFixed(0)} ms, +${(withSuggest - withPinyin).toFixed(1)} MB (index ${(loaded - before).toFixed(0)} MB)`)

  // ---- prefixes a user types, from titles: Han (1–4 characters), pinyin (3–8 letters), initials (2–4)
  const rand = mulberry32(DEFAULT_SEED + 11)
  const titles = shuffle(docs.map((d) => d.title).filter((t) => /^\p{Script=Han}{4}/u.test(t.replace(/^【[^】]*】/u, ''))), rand)
  const han: string[] = []
  const pinyin: string[] = []
  const initials: string[] = []
  for (const raw of titles) {
    if (han.length >= prefixCount) break
    const title = raw.replace(/^【[^】]*】/u, '')
    const words = plain.analyzer.analyze(title, 'query').map((t) => t.term).filter((w) => /^\p{Script=Han}{2,}$/u.test(w))
    if (words.length < 2) continue
    han.push(title.slice(0, 1 + Math.floor(rand() * 4)))
    const keys = pinyinKeys(words[0]! + words[1]!)
    if (!keys) continue
    pinyin.push(keys.full.slice(0, 3 + Math.floor(rand() * 6)))
    initials.push(keys.initials.slice(0, 2 + Math.floor(rand() * 3)))
  }
  const rows: string[][] = []
  for (const [name, prefixes] of [['Han prefix (1–4 chars)', han], ['pinyin prefix (3–8 letters)', pinyin], ['initials (2–4 letters)', initials]] as const) {
    timings(prefixes.slice(0, 200), (p) => engine.suggest(p))
    const us = timings(prefixes, (p) => engine.suggest(p))
    const empty = prefixes.filter((p) => engine.suggest(p).length === 0).length
    rows.push([`suggest: ${name}`, prefixes.length.toLocaleString("en-US"), fmt(median(us) / 1000, 3), fmt(percentile(us, 0.99) / 1000, 3), `${((empty / prefixes.length) * 100).toFixed(1)}% empty`])
  }

  // ---- pinyin queries against the Han words they spell (title word pairs)
  const pairs = titles.slice(0, 1_000).flatMap((raw) => {
    const words = plain.analyzer.analyze(raw, 'query').map((t) => t.term).filter((w) => /^\p{Script=Han}{2,}$/u.test(w))
    const keys = words.length >= 2 ? [pinyinKeys(words[0]!), pinyinKeys(words[1]!)] : []
    return keys.length === 2 && keys[0] && keys[1] ? [{ han: `${words[0]} ${words[1]}`, pinyin: `${keys[0].full} ${keys[1].full}` }] : []
  })
  for (const [name, pick, e] of [
    ['search: the Han words', (p: { han: string }) => p.han, engine],
    ['search: their pinyin (xiangcun zhenxing)', (p: { pinyin: string }) => p.pinyin, engine],
    ['search: the Han words, pinyin off', (p: { han: string }) => p.han, plain],
  ] as const) {
    timings(pairs.slice(0, 100), (p) => e.search(pick(p as never), { snippet: false }))
    const us = timings(pairs, (p) => e.search(pick(p as never), { snippet: false }))
    rows.push([name, pairs.length.toLocaleString("en-US"), fmt(median(us) / 1000, 3), fmt(percentile(us, 0.99) / 1000, 3), ''])
  }
  loadAvg.push(loadavg()[0]!)

  const md = [
    `## jiansuo search box — ${new Date().toISOString().slice(0, 10)}`,
    '',
    `${docs.length.toLocaleString('en-US')} documents (${corpus}); ${cpus().length} × ${cpus()[0]?.model.trim()}; 1-min load average ${loadAvg.map((l) => l.toFixed(1)).join('–')}; jiansuo commit ${src.commit?.slice(0, 10) ?? '–'}, src/ hash ${src.srcHash.slice(0, 12)}.`,
    '',
    `| cost | measured |`,
    `|---|---|`,
    `| pinyin vocabulary (first search with pinyin on, or warm()) | ${fmt(vocabularyMs, 0)} ms, +${fmt(withPinyin - loaded, 1)} MB heap (index: ${fmt(loaded - before, 0)} MB); index file +0 bytes |`,
    `| suggestions (first suggest() after a change, or warm()) | ${fmt(suggestBuildMs, 0)} ms, +${fmt(withSuggest - withPinyin, 1)} MB heap |`,
    '',
    markdownTable(['call', 'inputs', 'p50 ms', 'p99 ms', ''], rows),
  ].join('\n')
  process.stdout.write(`${md}\n`)
  const mdOut = optString(opts, 'md')
  if (mdOut) writeFileSync(mdOut, `${md}\n`)
}

await main()
