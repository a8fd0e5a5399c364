/**
 * Documents from the npm package `chinese-poetry` (Tang + Song shi, ~313k poems, traditional
 * script), used only by bench/scale.ts to go past the ~78k documents of /work/shared/corpus.
 * The package is installed on demand into bench/.cache/ (git-ignored), never into the project.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import type { Doc } from './corpus.js'

export const POETRY_CACHE = new URL('../.cache/', import.meta.url).pathname
export const POETRY_ROOT = join(POETRY_CACHE, 'node_modules', 'chinese-poetry')

/** Installs chinese-poetry into bench/.cache/ if it is not there yet; returns its root folder. */
export function ensurePoetry(): string {
  if (!existsSync(join(POETRY_ROOT, 'dist', 'quantangshi'))) {
    process.stderr.write('installing chinese-poetry into bench/.cache/ …\n')
    execFileSync('npm', ['install', '--prefix', POETRY_CACHE, 'chinese-poetry', '--no-save', '--no-audit', '--no-fund'], {
      stdio: ['ignore', 2, 2],
    })
  }
  return POETRY_ROOT
}

interface Poem {
  title?: string
  paragraphs?: string[]
}

/** Reads dist/quantangshi/poet.{tang,song}.<n>.json in a fixed order (tang first, then by n). */
export function loadPoetry(root: string): Doc[] {
  const dir = join(root, 'dist', 'quantangshi')
  const files = readdirSync(dir)
    .map((f) => /^poet\.(tang|song)\.(\d+)\.json$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => (a[1] === b[1] ? Number(a[2]) - Number(b[2]) : a[1] === 'tang' ? -1 : 1))
  const docs: Doc[] = []
  for (const m of files) {
    const poems = JSON.parse(readFileSync(join(dir, m[0]), 'utf8')) as Poem[]
    poems.forEach((p, i) => {
      // Ids from file and position: the package's uuids are not guaranteed unique, and a file
      // named poet.tang.2000.json may hold more than 1000 poems.
      docs.push({ id: `poetry-${m[1]}-${m[2]}-${i}`, title: p.title ?? '', text: (p.paragraphs ?? []).join('\n') })
    })
  }
  return docs
}
