/**
 * Ablation of jiansuo's options on one relevance set: one index build per (variant, set), same
 * documents and queries as `npm run eval`, one markdown table.
 *
 *   npx tsx bench/eval/ablate.ts --data <dir> [--distractors <corpus.jsonl>…] [--mode plain|pooled|both]
 *       --variants '<json>|<file.json>' [--sample N] [--seed S] [--json] [--misses N]
 *
 * --variants: a JSON array (inline or a file) of { "name": string, "options": object }, each
 * `options` spread over the eval's base constructor options, e.g.
 *   '[{"name":"default","options":{}},{"name":"k1=0.9","options":{"bm25":{"k1":0.9}}}]'
 * --mode: default `both` when --distractors is given, else `plain`. Pooled runs sample 600 judged
 * queries (seed 20240601) unless --sample says otherwise; plain runs use all unless --sample is given.
 * The first variant is the baseline of the Δ column.
 */
import { buildPool, type Pool } from './data.js'
import { parseArgs, one, int, jsonArg } from './args.js'
import { evaluate, jiansuoAdapter, resultJson, missReport, type EngineResult } from './harness.js'

interface Variant {
  name: string
  options: Record<string, unknown>
}

const USAGE = `usage: npx tsx bench/eval/ablate.ts --data <dir> [--distractors <corpus.jsonl>…] [--mode plain|pooled|both]
         --variants '<json array of {name, options}>|<file.json>' [--sample N] [--seed S] [--json] [--misses N]`

function parseVariants(v: unknown): Variant[] {
  if (v === undefined) return [{ name: 'default', options: {} }]
  if (!Array.isArray(v) || v.length === 0) throw new Error('--variants must be a non-empty JSON array of {name, options}')
  const names = new Set<string>()
  return v.map((x, i) => {
    if (typeof x !== 'object' || x === null) throw new Error(`--variants[${i}] is not an object`)
    const { name, options } = x as { name?: unknown; options?: unknown }
    if (typeof name !== 'string' || name === '') throw new Error(`--variants[${i}].name must be a non-empty string`)
    if (names.has(name)) throw new Error(`--variants: duplicate name ${name}`)
    names.add(name)
    const opts = options ?? {}
    if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw new Error(`--variants[${i}].options must be an object`)
    return { name, options: opts as Record<string, unknown> }
  })
}

const f3 = (x: number) => x.toFixed(3)
const signed = (x: number) => (Math.abs(x) < 0.0005 ? '±' : x > 0 ? '+' : '−') + Math.abs(x).toFixed(3)

export function ablationTable(rows: readonly { variant: string; result: EngineResult; baseline: EngineResult }[]): string {
  const head = '| variant | set | docs | queries | ndcg10 | Δndcg10 | mrr10 | recall10 | recall100 | zeroHit | build s | p50us | p95us |'
  const sep = '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|'
  const body = rows.map(({ variant, result: r, baseline: b }) =>
    `| ${variant} | ${r.set} | ${r.documents} | ${r.queries} | ${f3(r.ndcg10)} | ${r === b ? '' : signed(r.ndcg10 - b.ndcg10)} | ${f3(r.mrr10)} | ${f3(r.recall10)} | ${f3(r.recall100)} | ${f3(r.zeroHit)} | ${r.buildSeconds.toFixed(2)} | ${Math.round(r.p50us)} | ${Math.round(r.p95us)} |`,
  )
  return [head, sep, ...body].join('\n')
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), new Set(['json', 'help']))
  if (args.flags.has('help')) {
    console.log(USAGE)
    return 0
  }
  const known = new Set(['data', 'distractors', 'mode', 'variants', 'sample', 'seed', 'json', 'misses', 'help'])
  for (const k of args.flags.keys()) if (!known.has(k)) throw new Error(`unknown option --${k}\n${USAGE}`)
  const data = one(args, 'data')
  if (!data) throw new Error(`--data is required\n${USAGE}`)
  const distractors = args.flags.get('distractors') ?? []
  const mode = one(args, 'mode') ?? (distractors.length ? 'both' : 'plain')
  if (!['plain', 'pooled', 'both'].includes(mode)) throw new Error(`--mode must be plain, pooled or both`)
  if (mode !== 'plain' && distractors.length === 0) throw new Error(`--mode ${mode} needs --distractors`)
  const seed = int(args, 'seed', 20240601)
  const sampleGiven = args.flags.has('sample')
  const sampleArg = int(args, 'sample', 0)
  const misses = int(args, 'misses', 0)
  const variants = parseVariants(jsonArg(args, 'variants'))
  const log = (m: string) => process.stderr.write(m + '\n')

  const pools: Pool[] = []
  if (mode !== 'pooled') pools.push(buildPool(data, [], sampleGiven ? sampleArg : 0, seed))
  if (mode !== 'plain') pools.push(buildPool(data, distractors, sampleGiven ? sampleArg : 600, seed))

  const rows: { variant: string; result: EngineResult; baseline: EngineResult }[] = []
  for (const pool of pools) {
    log(`${pool.set} ${pool.data}: ${pool.docs.length} docs, ${pool.queries.length} queries`)
    for (const n of pool.notes) log(`  ${n}`)
    let baseline: EngineResult | undefined
    for (const v of variants) {
      log(`variant ${v.name}: ${JSON.stringify(v.options)}`)
      const adapter = jiansuoAdapter(v.options)
      adapter.name = `jiansuo[${v.name}]`
      const result = await evaluate(adapter, pool, { log })
      if (misses > 0) log(missReport(result, pool, misses))
      baseline ??= result
      rows.push({ variant: v.name, result, baseline })
    }
  }

  if (args.flags.has('json')) {
    console.log(JSON.stringify({ data: pools[0]!.data, rows: rows.map((r) => ({ variant: r.variant, options: variants.find((v) => v.name === r.variant)!.options, ...resultJson(r.result) })) }))
  } else {
    console.log(ablationTable(rows))
  }
  return 0
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`ablate: ${(e as Error)?.message ?? String(e)}\n`)
    process.exit(1)
  },
)
