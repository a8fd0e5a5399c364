/**
 * Pure relevance and latency metrics for `npm run eval` (no I/O, no engine imports), so they can be
 * unit-tested and reused by the ablation script.
 *
 * Relevance is binary (a doc is relevant iff it appears in the query's qrels). A ranked list is the
 * engine's hit ids, best first; a repeated id counts only at its first position.
 */

/** Relevance judgments of one query: the set of relevant doc ids. */
export type Judged = ReadonlySet<string>

/** The ids of `ranked` in the first `k` positions, each id once (first occurrence wins). */
function topK(ranked: readonly string[], k: number): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const id of ranked) {
    if (out.length >= k) break
    if (seen.has(id)) continue
    seen.add(id)
    out.push(id)
  }
  return out
}

/**
 * nDCG@k with binary gains: DCG = Σ_{i<k, doc i relevant} 1 / log2(i + 2) (i zero-based), divided by
 * the DCG of an ideal ranking with min(|relevant|, k) relevant docs on top. 0 when nothing is judged.
 */
export function ndcgAt(ranked: readonly string[], relevant: Judged, k: number): number {
  if (relevant.size === 0 || k <= 0) return 0
  const top = topK(ranked, k)
  let dcg = 0
  for (let i = 0; i < top.length; i++) if (relevant.has(top[i]!)) dcg += 1 / Math.log2(i + 2)
  let ideal = 0
  for (let i = 0; i < Math.min(relevant.size, k); i++) ideal += 1 / Math.log2(i + 2)
  return dcg / ideal
}

/** Reciprocal rank of the first relevant doc within the first `k` positions (0 if none). */
export function mrrAt(ranked: readonly string[], relevant: Judged, k: number): number {
  const top = topK(ranked, k)
  for (let i = 0; i < top.length; i++) if (relevant.has(top[i]!)) return 1 / (i + 1)
  return 0
}

/** Fraction of the relevant docs found in the first `k` positions (0 when nothing is judged). */
export function recallAt(ranked: readonly string[], relevant: Judged, k: number): number {
  if (relevant.size === 0) return 0
  let found = 0
  for (const id of topK(ranked, k)) if (relevant.has(id)) found++
  return found / relevant.size
}

/**
 * The p-th percentile (0–100) of `values` by linear interpolation between closest ranks
 * (the "R-7" / NumPy default definition): position (n − 1)·p/100 in the sorted values.
 * NaN for an empty list. Does not modify `values`.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile p must be in [0, 100], got ${p}`)
  const sorted = [...values].sort((a, b) => a - b)
  const pos = ((sorted.length - 1) * p) / 100
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

/** The standard mulberry32 PRNG: a 32-bit seed → a function returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed | 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A seeded sample of `n` items: Fisher–Yates over a copy of `items` (in the given order) from the
 * last index down, j = floor(rand() · (i + 1)), then the first `n` of the shuffled array.
 * `seed` is a mulberry32 seed, or a rand() function (for tests). n ≥ items.length returns the
 * whole shuffled array; `items` is not modified.
 */
export function sample<T>(items: readonly T[], n: number, seed: number | (() => number)): T[] {
  const rand = typeof seed === 'function' ? seed : mulberry32(seed)
  const a = [...items]
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    const tmp = a[i]!
    a[i] = a[j]!
    a[j] = tmp
  }
  return a.slice(0, Math.max(0, n))
}

/** What one engine returned for one query. */
export interface QueryRun {
  qid: string
  /** Hit ids, best first. */
  ranked: readonly string[]
  /** Wall time of the search call, microseconds. */
  micros: number
}

export interface Summary {
  ndcg10: number
  mrr10: number
  recall10: number
  recall100: number
  /** Fraction (0–1) of queries with no hits at all. */
  zeroHit: number
  p50us: number
  p95us: number
  /** Number of queries the means are over. */
  queries: number
}

export interface PerQuery {
  qid: string
  ndcg10: number
  mrr10: number
  recall10: number
  recall100: number
  hits: number
  /** 1-based rank of the first relevant doc among all returned hits, or 0 if not returned. */
  firstRelevantRank: number
  micros: number
}

/** Metrics of one query against its judgments. */
export function scoreQuery(run: QueryRun, relevant: Judged): PerQuery {
  const unique = topK(run.ranked, Infinity)
  const first = unique.findIndex((id) => relevant.has(id))
  return {
    qid: run.qid,
    ndcg10: ndcgAt(run.ranked, relevant, 10),
    mrr10: mrrAt(run.ranked, relevant, 10),
    recall10: recallAt(run.ranked, relevant, 10),
    recall100: recallAt(run.ranked, relevant, 100),
    hits: run.ranked.length,
    firstRelevantRank: first + 1,
    micros: run.micros,
  }
}

/**
 * Means over every run (one per judged query; a query with zero hits scores 0) plus the zero-hit
 * fraction and latency percentiles. Throws if a run's query has no judgments.
 */
export function summarize(runs: readonly QueryRun[], qrels: ReadonlyMap<string, Judged>): Summary & { perQuery: PerQuery[] } {
  const perQuery = runs.map((run) => {
    const rel = qrels.get(run.qid)
    if (!rel || rel.size === 0) throw new Error(`query ${run.qid} has no relevance judgments`)
    return scoreQuery(run, rel)
  })
  return { ...summarizeScored(perQuery), perQuery }
}

/** Means, zero-hit fraction and latency percentiles of already scored queries. */
export function summarizeScored(perQuery: readonly PerQuery[]): Summary {
  const n = perQuery.length
  const mean = (f: (q: PerQuery) => number) => (n === 0 ? 0 : perQuery.reduce((s, q) => s + f(q), 0) / n)
  const micros = perQuery.map((r) => r.micros)
  return {
    ndcg10: mean((q) => q.ndcg10),
    mrr10: mean((q) => q.mrr10),
    recall10: mean((q) => q.recall10),
    recall100: mean((q) => q.recall100),
    zeroHit: mean((q) => (q.hits === 0 ? 1 : 0)),
    p50us: percentile(micros, 50),
    p95us: percentile(micros, 95),
    queries: n,
  }
}

/**
 * Scored queries by query id prefix (the id up to its first `-`: `full-0001` → `full`), groups in
 * order of first appearance; an id without `-` is its own group.
 */
export function groupByPrefix<Q extends { qid: string }>(perQuery: readonly Q[]): Map<string, Q[]> {
  const groups = new Map<string, Q[]>()
  for (const q of perQuery) {
    const dash = q.qid.indexOf('-')
    const key = dash > 0 ? q.qid.slice(0, dash) : q.qid
    let list = groups.get(key)
    if (!list) groups.set(key, (list = []))
    list.push(q)
  }
  return groups
}
