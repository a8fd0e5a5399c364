/** Human-readable search results for a terminal: rank, title, score, highlighted snippets. */
import type { SearchResult } from '../engine.js'
import type { Snippet } from '../highlight/snippets.js'

const BOLD_RED = '\u001b[1;31m'
const BOLD = '\u001b[1m'
const DIM = '\u001b[2m'
const RESET = '\u001b[0m'

function mark(snippet: Snippet, color: boolean): string {
  if (!color) {
    // Without colour, 【】 brackets mark the matches.
    let out = ''
    let at = 0
    for (const r of snippet.ranges) {
      out += `${snippet.text.slice(at, r.start)}【${snippet.text.slice(r.start, r.end)}】`
      at = r.end
    }
    return out + snippet.text.slice(at)
  }
  let out = ''
  let at = 0
  for (const r of snippet.ranges) {
    out += `${snippet.text.slice(at, r.start)}${BOLD_RED}${snippet.text.slice(r.start, r.end)}${RESET}`
    at = r.end
  }
  return out + snippet.text.slice(at)
}

const RELAXED = {
  phrase: 'phrase not found, searched as words',
  decomposed: 'unknown word, searched as its parts',
  pinyin: 'read as pinyin',
  synonym: 'searched as its synonym',
  homophone: 'searched as its homophone',
} as const

export function formatHits(result: SearchResult, options: { offset: number; color: boolean }): string {
  const { color } = options
  const lines: string[] = []
  const shown = result.hits.length
  lines.push(`${result.total} result${result.total === 1 ? '' : 's'} (${result.took} ms)${shown && result.total > shown ? `, showing ${options.offset + 1}–${options.offset + shown}` : ''}`)
  // What the engine searched instead of what was typed, so the reader knows why these hits.
  if (result.didYouMean !== undefined) lines.push(`Did you mean: ${result.didYouMean}`)
  for (const r of result.relaxed ?? []) lines.push(`${color ? DIM : ''}(${RELAXED[r.kind]}: ${r.from} → ${r.to})${color ? RESET : ''}`)
  result.hits.forEach((hit, i) => {
    const title = hit.title ? mark(hit.title, color) : String(hit.doc.title ?? hit.id)
    lines.push('')
    lines.push(`${options.offset + i + 1}. ${color ? BOLD : ''}${title}${color ? RESET : ''}  ${color ? DIM : ''}[${hit.id}] score ${hit.score.toFixed(3)}${color ? RESET : ''}`)
    for (const s of hit.snippets) lines.push(`   ${mark(s, color).replace(/\s*\n\s*/g, ' ')}`)
  })
  for (const [name, buckets] of Object.entries(result.facets ?? {})) {
    lines.push('')
    lines.push(`${color ? BOLD : ''}${name}${color ? RESET : ''}: ${buckets.length ? buckets.map((b) => `${b.value} (${b.count})`).join(', ') : 'none'}`)
  }
  return `${lines.join('\n')}\n`
}
