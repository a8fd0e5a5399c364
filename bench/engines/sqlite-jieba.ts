/**
 * SQLite FTS5 through better-sqlite3. Text is segmented in JS (nodejieba search mode, HMM,
 * lowercased, punctuation dropped) and stored as space-joined words in a contentless table
 * (content=''), so FTS5's unicode61 tokenizer just splits on the spaces and the file holds the
 * index only. Ranking: bm25 with title weight 2. Query: OR of the precise-mode words, each quoted.
 * Built in memory, saved with serialize(); "load" opens the file read-only (SQLite reads pages
 * lazily, so load time and load RSS are near zero and the cost moves to the first queries).
 */
import { statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { indexTokens, loadNodejieba, queryTokens } from './jieba.js'
import type { SearchEngineAdapter } from './types.js'

// The part of better-sqlite3 used here (the project has no @types/better-sqlite3).
interface Statement {
  run(...params: unknown[]): unknown
  all(...params: unknown[]): unknown[]
}
interface Db {
  exec(sql: string): void
  prepare(sql: string): Statement
  transaction(fn: () => void): () => void
  serialize(): Buffer
  close(): void
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string, options?: Record<string, unknown>) => Db

export default function create(): SearchEngineAdapter {
  let db: Db | undefined
  let stmt: Statement | undefined

  const prepare = () => {
    // rank is configured in the table ('rank' option below), so ORDER BY rank uses bm25(2, 1).
    stmt = db!.prepare('SELECT ids.id AS id FROM docs JOIN ids ON ids.rowid = docs.rowid WHERE docs MATCH ? ORDER BY rank LIMIT ?')
  }

  return {
    kind: 'index',
    storesDocs: false,
    describe: "better-sqlite3 FTS5 contentless (content=''), nodejieba words joined by spaces, bm25(title 2, text 1), query = OR of quoted cut() words",
    init: () => void loadNodejieba(),
    build(docs) {
      db = new Database(':memory:')
      db.exec(`
        CREATE VIRTUAL TABLE docs USING fts5(title, text, content='', tokenize='unicode61');
        INSERT INTO docs(docs, rank) VALUES('rank', 'bm25(2.0, 1.0)');
        CREATE TABLE ids(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL);
      `)
      const insDoc = db.prepare('INSERT INTO docs(rowid, title, text) VALUES (?, ?, ?)')
      const insId = db.prepare('INSERT INTO ids(rowid, id) VALUES (?, ?)')
      db.transaction(() => {
        docs.forEach((d, i) => {
          insDoc.run(i + 1, indexTokens(d.title).join(' '), indexTokens(d.text).join(' '))
          insId.run(i + 1, d.id)
        })
      })()
      // Merge FTS5 segments into one b-tree: what a real deployment would ship.
      db.exec("INSERT INTO docs(docs) VALUES('optimize')")
    },
    save(path) {
      writeFileSync(path, db!.serialize())
      return statSync(path).size
    },
    load(path) {
      db?.close()
      db = new Database(path, { readonly: true, fileMustExist: true })
      prepare()
    },
    search(query, k) {
      if (!stmt) prepare()
      const words = queryTokens(query)
      if (words.length === 0) return []
      const match = words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' OR ')
      return (stmt!.all(match, k) as { id: string }[]).map((r) => r.id)
    },
    close: () => db?.close(),
  }
}
