/**
 * Reads benchmark documents by path (corpora are never copied into the repo).
 *
 * A source is either a JSONL file with `{id, title, text, ...}` lines, or the root folder of the
 * npm package `chinese-poetry` (see bench/lib/poetry.ts). Every engine gets the same plain
 * `{id, title, text}` objects, so extra fields (url, category, …) cannot change what is indexed.
 */
import { readFileSync, statSync } from 'node:fs'
import { loadPoetry } from './poetry.js'
import { mulberry32, shuffle } from './random.js'

export interface Doc {
  id: string
  title: string
  text: string
}

export function readJsonl(path: string): Doc[] {
  const docs: Doc[] = []
  const lines = readFileSync(path, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (!line) continue
    const o = JSON.parse(line) as Record<string, unknown>
    docs.push({
      id: String(o.id ?? `${path}:${i + 1}`),
      title: typeof o.title === 'string' ? o.title : '',
      text: typeof o.text === 'string' ? o.text : '',
    })
  }
  return docs
}

export interface DocSelection {
  /** JSONL files and/or a chinese-poetry package folder. */
  sources: string[]
  /** Keep the first `limit` documents (0 = all). */
  limit?: number
  /**
   * If set, shuffle before taking the prefix (bench/scale.ts uses this so a 10k prefix samples
   * all corpora). JSONL documents are shuffled together and come first; poems are shuffled
   * separately and come after them, so smaller sizes stay modern prose/headlines.
   */
  shuffleSeed?: number
}

export function loadDocs(sel: DocSelection): Doc[] {
  const files: Doc[] = []
  const poems: Doc[] = []
  for (const src of sel.sources) {
    // Plain loops, not push(...docs): spreading 300k arguments overflows the stack.
    const target = statSync(src).isDirectory() ? poems : files
    for (const d of statSync(src).isDirectory() ? loadPoetry(src) : readJsonl(src)) target.push(d)
  }
  if (sel.shuffleSeed !== undefined) {
    const rand = mulberry32(sel.shuffleSeed)
    shuffle(files, rand)
    shuffle(poems, rand)
  }
  const all = files.concat(poems)
  return sel.limit && sel.limit > 0 ? all.slice(0, sel.limit) : all
}

/** UTF-8 bytes of title + text: the denominator of every MB/s figure. */
export function docBytes(docs: readonly Doc[]): number {
  let n = 0
  for (const d of docs) n += Buffer.byteLength(d.title, 'utf8') + Buffer.byteLength(d.text, 'utf8')
  return n
}
