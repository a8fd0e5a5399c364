/**
 * Relevance evaluation of jiansuo on a retrieval set (corpus.jsonl, queries.jsonl, qrels.tsv).
 *
 *   npm run eval -- --data <dir> [--distractors <corpus.jsonl>…] [--json] [--sample N] [--seed S]
 *                   [--peers] [--options <json|file>] [--engines a,b] [--misses N] [--group-by-prefix]
 *
 * plain: the set's passages; pooled (--distractors): plus every distractor document, and by default
 * a seeded sample of 600 judged queries (mulberry32, seed 20240601, Fisher–Yates in file order), as
 * in ../shared/eval/PEERS.md. Metrics over all (sampled) judged queries, a query with no hits
 * scoring 0: nDCG@10, MRR@10, Recall@10, Recall@100, zero-hit fraction, search latency p50/p95 (µs).
 * Progress goes to stderr; stdout holds the markdown table, or with --json exactly one JSON object
 * (jiansuo's figures at the top level; with --peers the peers' objects under "peers").
 * --group-by-prefix adds one row per query id prefix (`full-0001` → `full`), in JSON under "groups".
 */
import { buildPool } from './eval/data.js'
import { parseArgs, one, int, jsonArg } from './eval/args.js'
import { evaluate, jiansuoAdapter, resultTable, resultJson, missReport, groupResults, type EngineAdapter, type EngineResult } from './eval/harness.js'
import { PEERS } from './eval/peers.js'

const USAGE = `usage: npm run eval -- --data <dir> [--distractors <corpus.jsonl>…] [--json] [--sample N] [--seed S]
                       [--peers] [--options <json|file>] [--engines jiansuo,minisearch-jieba,sqlite-jieba] [--misses N]
                       [--group-by-prefix]
  --data         folder with corpus.jsonl, queries.jsonl, qrels.tsv
  --distractors  extra {id,title,text} JSONL corpora pooled with the set's passages (pooled run)
  --sample N     evaluate a seeded sample of N judged queries (default: 600 with --distractors, else all; 0 = all)
  --seed S       mulberry32 seed of the sample (default 20240601)
  --peers        also evaluate minisearch-jieba and sqlite-jieba on the same docs and queries
  --options      JSON (inline or file) spread over jiansuo's constructor options, e.g. '{"bm25":{"k1":0.9}}'
  --engines      comma-separated engines to run instead (jiansuo, minisearch-jieba, sqlite-jieba)
  --misses N     print up to N zero-hit / missed queries per engine to stderr (default 10; 0 = none)
  --json         print one JSON object instead of the markdown table
  --group-by-prefix  also report each query id prefix apart (the id up to its first "-": full-0001 → full)`

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), new Set(['json', 'peers', 'help', 'group-by-prefix']))
  if (args.flags.has('help')) {
    console.log(USAGE)
    return 0
  }
  const known = new Set(['data', 'distractors', 'json', 'sample', 'seed', 'peers', 'options', 'engines', 'misses', 'help', 'group-by-prefix'])
  for (const k of args.flags.keys()) if (!known.has(k)) throw new Error(`unknown option --${k}\n${USAGE}`)
  const data = one(args, 'data')
  if (!data) throw new Error(`--data is required\n${USAGE}`)
  const distractors = args.flags.get('distractors') ?? []
  if (args.flags.has('distractors') && distractors.length === 0) throw new Error('--distractors needs at least one file')
  const sampleSize = int(args, 'sample', distractors.length ? 600 : 0)
  const seed = int(args, 'seed', 20240601)
  const misses = int(args, 'misses', 10)
  const json = args.flags.has('json')
  const grouped = args.flags.has('group-by-prefix')
  const options = jsonArg(args, 'options') ?? {}
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new Error('--options must be a JSON object')

  const factories: Record<string, () => EngineAdapter> = { jiansuo: () => jiansuoAdapter(options as Record<string, unknown>), ...PEERS }
  const engineList = one(args, 'engines')
  const names = engineList
    ? engineList.split(',').map((s) => s.trim()).filter(Boolean)
    : ['jiansuo', ...(args.flags.has('peers') ? Object.keys(PEERS) : [])]
  for (const n of names) if (!factories[n]) throw new Error(`unknown engine ${n} (known: ${Object.keys(factories).join(', ')})`)

  const log = (m: string) => process.stderr.write(m + '\n')
  const t0 = Date.now()
  const pool = buildPool(data, distractors, sampleSize, seed)
  log(`${pool.set} ${pool.data}: ${pool.docs.length} docs, ${pool.queries.length} queries (loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s)`)
  for (const n of pool.notes) log(`  ${n}`)

  const results: EngineResult[] = []
  for (const name of names) {
    const r = await evaluate(factories[name]!(), pool, { log })
    results.push(r)
    if (misses > 0) log(missReport(r, pool, misses))
  }

  if (json) {
    const withGroups = (r: EngineResult) => {
      const o = resultJson(r)
      if (grouped) o.groups = Object.fromEntries(groupResults(r).map(([prefix, g]) => [prefix, resultJson(g)]))
      return o
    }
    const [first, ...rest] = results
    const out: Record<string, unknown> = withGroups(first!)
    if (Object.keys(options).length) out.options = options
    if (rest.length) out.peers = rest.map(withGroups)
    console.log(JSON.stringify(out))
  } else {
    console.log(resultTable(grouped ? results.flatMap((r) => [r, ...groupResults(r).map(([, g]) => g)]) : results))
  }
  return 0
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`eval: ${(e as Error)?.message ?? String(e)}\n`)
    process.exit(1)
  },
)
