/**
 * Loading a relevance set (`corpus.jsonl`, `queries.jsonl`, `qrels.tsv`) and distractor corpora.
 * Only `{ id, title, text }` of each document is kept; the files are read, never copied.
 */
import { readFileSync, existsSync } from 'node:fs'
import { join, basename, resolve } from 'node:path'
import { sample } from './metrics.js'

export interface Doc {
  id: string
  title: string
  text: string
}

export interface Query {
  id: string
  text: string
}

export interface EvalSet {
  /** Folder name, e.g. `drcd-dev`. */
  name: string
  docs: Doc[]
  /** Judged queries in file order (queries without qrels are dropped). */
  queries: Query[]
  qrels: Map<string, Set<string>>
}

function* jsonLines(path: string): Generator<{ line: number; value: Record<string, unknown> }> {
  const lines = readFileSync(path, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim()
    if (raw === '') continue
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch (e) {
      throw new Error(`${path}:${i + 1}: invalid JSON (${(e as Error).message})`)
    }
    if (typeof value !== 'object' || value === null) throw new Error(`${path}:${i + 1}: not an object`)
    yield { line: i + 1, value: value as Record<string, unknown> }
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : v == null ? '' : String(v))

export function loadDocs(path: string): Doc[] {
  const docs: Doc[] = []
  for (const { line, value } of jsonLines(path)) {
    if (value.id == null || value.id === '') throw new Error(`${path}:${line}: document without id`)
    docs.push({ id: str(value.id), title: str(value.title), text: str(value.text) })
  }
  return docs
}

export function loadQueries(path: string): Query[] {
  const queries: Query[] = []
  for (const { line, value } of jsonLines(path)) {
    if (value.id == null || value.id === '') throw new Error(`${path}:${line}: query without id`)
    queries.push({ id: str(value.id), text: str(value.text) })
  }
  return queries
}

/** `qid<TAB>docid<TAB>grade`; grade > 0 is relevant (a missing grade counts as relevant). */
export function loadQrels(path: string): Map<string, Set<string>> {
  const qrels = new Map<string, Set<string>>()
  const lines = readFileSync(path, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '')
    if (raw.trim() === '') continue
    const [qid, docid, grade] = raw.split('\t')
    if (!qid || !docid) throw new Error(`${path}:${i + 1}: expected qid<TAB>docid<TAB>grade`)
    if (grade !== undefined && !(Number(grade) > 0)) continue
    let set = qrels.get(qid)
    if (!set) qrels.set(qid, (set = new Set()))
    set.add(docid)
  }
  return qrels
}

export function loadSet(dir: string): EvalSet {
  const abs = resolve(dir)
  for (const f of ['corpus.jsonl', 'queries.jsonl', 'qrels.tsv']) {
    if (!existsSync(join(abs, f))) throw new Error(`${join(abs, f)} not found (--data must hold corpus.jsonl, queries.jsonl, qrels.tsv)`)
  }
  const docs = loadDocs(join(abs, 'corpus.jsonl'))
  const allQueries = loadQueries(join(abs, 'queries.jsonl'))
  const qrels = loadQrels(join(abs, 'qrels.tsv'))
  const queries = allQueries.filter((q) => qrels.has(q.id))
  return { name: basename(abs), docs, queries, qrels }
}

export interface Pool {
  /** `plain` or `pooled` (with distractors). */
  set: 'plain' | 'pooled'
  data: string
  docs: Doc[]
  queries: Query[]
  qrels: Map<string, Set<string>>
  /** Notes for stderr: unjudged queries, missing relevant docs, sampling. */
  notes: string[]
}

/**
 * The documents and queries of one run: the set's passages (plus distractor documents, whose ids
 * must not collide with the set's), and its judged queries, optionally a seeded sample of them.
 */
export function buildPool(dir: string, distractors: readonly string[], sampleSize: number, seed: number): Pool {
  const s = loadSet(dir)
  const notes: string[] = []
  const docs = [...s.docs]
  const ids = new Set(docs.map((d) => d.id))
  if (ids.size !== docs.length) throw new Error(`${dir}: duplicate document ids in corpus.jsonl`)
  for (const path of distractors) {
    const extra = loadDocs(path)
    let dup = 0
    for (const d of extra) {
      if (ids.has(d.id)) {
        dup++
        continue
      }
      ids.add(d.id)
      docs.push(d)
    }
    notes.push(`distractors ${path}: ${extra.length} docs${dup ? `, ${dup} skipped (id already present)` : ''}`)
  }
  let missing = 0
  for (const q of s.queries) for (const d of s.qrels.get(q.id)!) if (!ids.has(d)) missing++
  if (missing) notes.push(`warning: ${missing} judged (query, doc) pairs name a doc not in the corpus`)
  const allQueries = loadQueries(join(resolve(dir), 'queries.jsonl'))
  if (allQueries.length !== s.queries.length) notes.push(`${allQueries.length - s.queries.length} queries without qrels dropped`)
  const queries = sampleSize > 0 && sampleSize < s.queries.length ? sample(s.queries, sampleSize, seed) : s.queries
  if (queries !== s.queries) notes.push(`sampled ${queries.length} of ${s.queries.length} queries (mulberry32 seed ${seed})`)
  return { set: distractors.length ? 'pooled' : 'plain', data: s.name, docs, queries, qrels: s.qrels, notes }
}
