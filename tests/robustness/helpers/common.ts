/**
 * Shared pieces of the robustness tests: the sample newspaper, scratch folders, and a way to see
 * which error a call throws (so a failing test says "got TypeError: …" instead of just failing).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { JiansuoError, parseNewspaper, type NewspaperArticle } from '../../../src/index.js'

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

let articles: NewspaperArticle[] | undefined

/** The 12 articles of examples/newspaper.txt (a01 … a10, briefs a05-1 … a05-3). */
export function sampleArticles(): NewspaperArticle[] {
  articles ??= parseNewspaper(readFileSync(join(ROOT, 'examples/newspaper.txt'), 'utf8')).articles
  return articles
}

/** The sample's body paragraphs longer than 20 characters (50 of them), for synthetic documents. */
export function sampleParagraphs(): string[] {
  return sampleArticles()
    .flatMap((a) => a.body.split('\n'))
    .filter((p) => p.length > 20)
}

/** What a call throws: the JiansuoError code, a description of any other error, or undefined. */
export function thrown(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return describeError(err)
  }
  return undefined
}

export async function thrownAsync(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn()
  } catch (err) {
    return describeError(err)
  }
  return undefined
}

/** The caught error itself (for checking messages and details); fails when nothing is thrown. */
export function caught(fn: () => unknown): JiansuoError {
  try {
    fn()
  } catch (err) {
    if (err instanceof JiansuoError) return err
    throw new Error(`expected a JiansuoError, got ${describeError(err)}`)
  }
  throw new Error('expected a JiansuoError, nothing was thrown')
}

function describeError(err: unknown): string {
  if (err instanceof JiansuoError) return err.code
  const e = err as Error | undefined
  return `not a JiansuoError: ${e?.name ?? typeof err}: ${e?.message ?? String(err)}`
}

/** A fresh folder under the OS temp dir; `cleanup()` removes every folder made. */
const made: string[] = []
export function scratchDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `jiansuo-${label}-`))
  made.push(dir)
  return dir
}
export function cleanupScratch(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/** `count` synthetic documents made by combining sample paragraphs (deterministic). */
export function syntheticDocs(count: number): { id: string; title: string; body: string }[] {
  const paras = sampleParagraphs()
  return Array.from({ length: count }, (_, k) => ({
    id: `d${k}`,
    title: paras[(k * 7) % paras.length]!.slice(0, 20),
    body: `${paras[k % paras.length]!}\n${paras[(k * 3 + 1) % paras.length]!}`,
  }))
}

/** Is every UTF-16 surrogate in `text` part of a pair? */
export function isWellFormed(text: string): boolean {
  // No `u` flag: the pattern must see code units, so a lone half is a match on its own.
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)
}
