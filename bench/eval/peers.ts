/**
 * Peer engines evaluated in the same run as jiansuo (`npm run eval -- --peers`), configured as in
 * ../shared/eval/PEERS.md:
 * - `minisearch-jieba`: MiniSearch 7 (BM25+), nodejieba tokenizer (index: cutForSearch, query: cut,
 *   HMM on), lowercased, punctuation-only tokens dropped, title boost 2, combineWith OR;
 * - `sqlite-jieba`: SQLite FTS5 (better-sqlite3) with the unicode61 tokenizer over jieba
 *   cutForSearch-segmented text joined by spaces, columns (title, text), ranked by bm25(fts, 2, 1),
 *   query = OR of the quoted precise-cut words.
 */
import { createRequire } from 'node:module'
import MiniSearch from 'minisearch'
import type { EngineAdapter } from './harness.js'
import type { Doc } from './data.js'

const require = createRequire(import.meta.url)

interface Jieba {
  cut(text: string, hmm?: boolean): string[]
  cutForSearch(text: string, hmm?: boolean): string[]
}
const jieba = require('nodejieba') as Jieba

/** A token is kept if it has a letter or a digit (drops punctuation, symbols, whitespace). */
const WORDLIKE = /[\p{L}\p{N}]/u

/** Index-time tokens: jieba search mode, HMM on, lowercased, punctuation dropped. */
export function indexTokens(text: string): string[] {
  if (!text) return []
  return jieba.cutForSearch(text, true).map((t) => t.toLowerCase()).filter((t) => WORDLIKE.test(t))
}

/** Query-time tokens: jieba precise mode, HMM on, lowercased, punctuation dropped. */
export function queryTokens(text: string): string[] {
  if (!text) return []
  return jieba.cut(text, true).map((t) => t.toLowerCase()).filter((t) => WORDLIKE.test(t))
}

/** Loads the jieba dictionary (process-wide) outside the timed build. */
function warmJieba(): void {
  jieba.cut('加载词典', true)
}

export function minisearchJieba(): EngineAdapter {
  let ms: MiniSearch<Doc> | undefined
  return {
    name: 'minisearch-jieba',
    prepare: warmJieba,
    build(docs) {
      ms = new MiniSearch<Doc>({
        idField: 'id',
        fields: ['title', 'text'],
        storeFields: [],
        tokenize: (text) => indexTokens(text),
        searchOptions: {
          tokenize: (text) => queryTokens(text),
          boost: { title: 2 },
          combineWith: 'OR',
          prefix: false,
          fuzzy: false,
        },
      })
      ms.addAll(docs)
    },
    search(query, limit) {
      return ms!
        .search(query)
        .slice(0, limit)
        .map((r) => String(r.id))
    },
    close() {
      ms = undefined
    },
  }
}

interface Statement {
  run(...params: unknown[]): unknown
  all(...params: unknown[]): unknown[]
}
interface Database {
  exec(sql: string): void
  prepare(sql: string): Statement
  transaction<F extends (...args: never[]) => unknown>(fn: F): F
  close(): void
}
type DatabaseCtor = new (filename: string) => Database

/** The FTS5 MATCH expression for a query: OR of quoted precise-cut words ('' when there are none). */
export function ftsQuery(text: string): string {
  const words = [...new Set(queryTokens(text))]
  return words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' OR ')
}

export function sqliteJieba(): EngineAdapter {
  let db: Database | undefined
  let select: Statement | undefined
  let ids: string[] = []
  return {
    name: 'sqlite-jieba',
    prepare: warmJieba,
    build(docs) {
      const Ctor = require('better-sqlite3') as DatabaseCtor
      db = new Ctor(':memory:')
      db.exec(`CREATE VIRTUAL TABLE fts USING fts5(title, text, tokenize = 'unicode61')`)
      const insert = db.prepare('INSERT INTO fts(rowid, title, text) VALUES (?, ?, ?)')
      ids = docs.map((d) => d.id)
      db.transaction(() => {
        docs.forEach((d, i) => insert.run(i + 1, indexTokens(d.title).join(' '), indexTokens(d.text).join(' ')))
      })()
      select = db.prepare('SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 2, 1) LIMIT ?')
    },
    search(query, limit) {
      const match = ftsQuery(query)
      if (!match) return []
      return (select!.all(match, limit) as { rowid: number }[]).map((r) => ids[r.rowid - 1]!)
    },
    close() {
      db?.close()
      db = undefined
      select = undefined
    },
  }
}

export const PEERS: Record<string, () => EngineAdapter> = {
  'minisearch-jieba': minisearchJieba,
  'sqlite-jieba': sqliteJieba,
}
