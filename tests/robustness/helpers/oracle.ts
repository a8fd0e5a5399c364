/**
 * A naive search oracle for the property tests: it keeps the live documents in insertion order and
 * scores a query by scanning every one of them, with BM25F written out from the formula documented
 * in src/query/bm25.ts:
 *
 *   idf(t)  = ln(1 + (N − df + 0.5) / (df + 0.5))
 *   tf̃(t,d) = Σ_f boost_f · tf_f / (1 − b + b · len_f / avglen_f)
 *   score   = idf · tf̃ · (k1 + 1) / (k1 + tf̃)        summed over the query's words
 *
 * It only models what it can model exactly: query words that are terms of some live document,
 * with `{ coordination: 0, proximity: 0 }` ranking (so only BM25F counts). A field's length is its
 * last position + 1, stopwords included (they take a position), as the engine's indexer counts it.
 */
import { Analyzer, type SearchEngine } from '../../../src/index.js'

export interface OracleDoc {
  id: string
  [field: string]: unknown
}

interface Analyzed {
  /** Per field: term → frequency. */
  tf: Map<string, number>[]
  /** Per field: length in positions. */
  length: number[]
  terms: Set<string>
}

export interface OracleHit {
  id: string
  score: number
  /** Insertion rank among live documents: the engine's tie-break. */
  order: number
}

export class Oracle {
  private docs: OracleDoc[] = []
  private readonly cache = new WeakMap<OracleDoc, Analyzed>()
  private readonly fields: { name: string; boost: number }[]
  private readonly k1: number
  private readonly b: number
  /** The engine's analyzer without stopwords, to see the positions stopwords take. */
  private readonly positions: Analyzer

  constructor(private readonly engine: SearchEngine) {
    this.fields = engine.options.fields
    this.k1 = engine.options.bm25.k1
    this.b = engine.options.bm25.b
    this.positions = new Analyzer({ ...engine.analyzer.config, stopwords: [] })
  }

  get ids(): string[] {
    return this.docs.map((d) => d.id)
  }

  get documents(): readonly OracleDoc[] {
    return this.docs
  }

  has(id: string): boolean {
    return this.docs.some((d) => d.id === id)
  }

  /** Add or replace; a replaced document moves to the end (it gets a new internal id). */
  put(doc: OracleDoc): void {
    this.remove(doc.id)
    this.docs.push(doc)
  }

  remove(id: string): boolean {
    const i = this.docs.findIndex((d) => d.id === id)
    if (i < 0) return false
    this.docs.splice(i, 1)
    return true
  }

  /** Query tokens as the engine sees them (one clause: no spaces or query syntax). */
  queryTerms(query: string): string[] {
    return this.engine.analyzer.analyze(query, 'query').map((t) => t.term)
  }

  /** Is every query word a term of some live document (so the oracle can score it exactly)? */
  canScore(query: string): boolean {
    const terms = this.queryTerms(query)
    return terms.length > 0 && terms.every((t) => this.docs.some((d) => this.analyzed(d).terms.has(t)))
  }

  search(query: string): OracleHit[] {
    const terms = this.queryTerms(query)
    const N = this.docs.length
    const analyzed = this.docs.map((d) => this.analyzed(d))
    const avg = this.fields.map((_, f) => analyzed.reduce((sum, a) => sum + a.length[f]!, 0) / N)
    const scores = new Map<number, number>()
    for (const term of terms) {
      const df = analyzed.filter((a) => a.terms.has(term)).length
      if (df === 0) continue
      const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5))
      analyzed.forEach((a, d) => {
        let wtf = 0
        this.fields.forEach((field, f) => {
          const tf = a.tf[f]!.get(term) ?? 0
          if (tf > 0) wtf += (field.boost * tf) / (1 - this.b + (this.b * a.length[f]!) / avg[f]!)
        })
        if (wtf === 0) return
        scores.set(d, (scores.get(d) ?? 0) + (idf * (wtf * (this.k1 + 1))) / (this.k1 + wtf))
      })
    }
    return [...scores]
      .map(([d, score]) => ({ id: this.docs[d]!.id, score, order: d }))
      .sort((x, y) => y.score - x.score || x.order - y.order)
  }

  private analyzed(doc: OracleDoc): Analyzed {
    let a = this.cache.get(doc)
    if (a) return a
    a = { tf: [], length: [], terms: new Set() }
    for (const { name } of this.fields) {
      const value = doc[name]
      const text = typeof value === 'string' ? value : ''
      const tf = new Map<string, number>()
      for (const token of this.engine.analyzer.analyze(text, 'index')) {
        tf.set(token.term, (tf.get(token.term) ?? 0) + 1)
        a.terms.add(token.term)
      }
      let length = 0
      for (const token of this.positions.analyze(text, 'index')) length = Math.max(length, token.position + 1)
      a.tf.push(tf)
      a.length.push(length)
    }
    this.cache.set(doc, a)
    return a
  }
}
