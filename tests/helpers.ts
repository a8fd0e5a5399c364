import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { SearchEngine, parseNewspaper, type Document, type SearchEngineOptions } from '../src/index.js'

export const SAMPLE_PATH = fileURLToPath(new URL('../examples/newspaper.txt', import.meta.url))
export const SAMPLE_TEXT = readFileSync(SAMPLE_PATH, 'utf8')

export function sampleArticles(): Document[] {
  return parseNewspaper(SAMPLE_TEXT).articles as unknown as Document[]
}

export function sampleEngine(options?: SearchEngineOptions): SearchEngine {
  const engine = new SearchEngine(options)
  engine.addAll(sampleArticles())
  return engine
}

export function titleOf(engine: SearchEngine, id: string): string {
  return String(engine.get(id)?.title ?? '')
}

/** Is `offset` between the two halves of a surrogate pair? */
export function splitsPair(text: string, offset: number): boolean {
  const before = text.charCodeAt(offset - 1)
  const at = text.charCodeAt(offset)
  return before >= 0xd800 && before <= 0xdbff && at >= 0xdc00 && at <= 0xdfff
}
