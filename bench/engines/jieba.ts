/**
 * nodejieba as the peers use it, so they all segment exactly alike: index text in search mode
 * (cutForSearch, HMM on), queries in precise mode (cut, HMM on), lowercase, and drop tokens that
 * are only whitespace or punctuation. (jiansuo has its own analyzer in src/analysis/.)
 */
import { createRequire } from 'node:module'

interface Nodejieba {
  load(options?: Record<string, string>): void
  cut(text: string, hmm?: boolean): string[]
  cutForSearch(text: string, hmm?: boolean): string[]
}

const require = createRequire(import.meta.url)
let jieba: Nodejieba | undefined

/** Loads the dictionary (the ~1 s "dict load" of the nodejieba peers). Idempotent. */
export function loadNodejieba(): Nodejieba {
  if (!jieba) {
    const j = require('nodejieba') as Nodejieba
    j.load()
    j.cut('预热', true) // make sure nothing else is deferred to the first call
    jieba = j
  }
  return jieba
}

/** A token worth indexing has at least one letter or digit. */
const WORDLIKE = /[\p{L}\p{N}]/u

function clean(tokens: string[]): string[] {
  const out: string[] = []
  for (const t of tokens) {
    if (WORDLIKE.test(t)) out.push(t.trim().toLowerCase())
  }
  return out
}

export function indexTokens(text: string): string[] {
  return clean(loadNodejieba().cutForSearch(text, true))
}

export function queryTokens(text: string): string[] {
  return clean(loadNodejieba().cut(text, true))
}
