/**
 * Choosing the passages shown under a hit: split the field into sentences, score each by the
 * query terms it contains (distinct terms count most, so a sentence with both 雷锋 and 志愿 beats
 * one that repeats 雷锋), take the best `count`, grow or trim each to about `length` characters
 * around its matches, and put them back in document order. Ellipses mark cuts.
 */
import { findMatches, mergeRanges, type Range, type TermMatch } from './matches.js'
import { toHtml, type HighlightTags } from './format.js'
import type { NormalizeOptions } from '../analysis/normalize.js'

export interface Snippet {
  /** The passage, with `…` where it was cut from longer text. */
  text: string
  /** Offsets of the passage in the original field text (UTF-16, ellipses excluded). */
  start: number
  end: number
  /** Highlight ranges relative to `text`. */
  ranges: Range[]
  /** `text` HTML-escaped, highlights wrapped in the configured tags. */
  html: string
}

export interface SnippetOptions {
  /** Approximate passage length in characters (default 120). */
  length: number
  /** Passages per hit (default 2). */
  count: number
}

const ELLIPSIS = '…'
const SENTENCE_END = /[。！？!?；;\n…]/u

/** Highlight a whole short field (e.g. the title). */
export function highlightWhole(text: string, terms: readonly string[], norm: NormalizeOptions, tags: HighlightTags): Snippet {
  const ranges = mergeRanges(findMatches(text, terms, norm))
  return { text, start: 0, end: text.length, ranges, html: toHtml(text, ranges, tags) }
}

export function makeSnippets(
  text: string,
  terms: readonly string[],
  weights: ReadonlyMap<string, number>,
  norm: NormalizeOptions,
  options: SnippetOptions,
  tags: HighlightTags,
): Snippet[] {
  if (!text || options.count <= 0) return []
  const matches = findMatches(text, terms, norm)
  const sentences = splitSentences(text)
  const scored = sentences.map((s, i) => ({ ...s, i, score: scoreSentence(s, matches, weights) }))
  const chosen = scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, options.count)
    .sort((a, b) => a.start - b.start)
  if (chosen.length === 0) {
    // No match in this field: show its opening.
    return [cut(text, 0, Math.min(text.length, options.length), [], tags)]
  }
  const out: Snippet[] = []
  let lastEnd = 0
  for (const s of chosen) {
    let start = s.start
    let end = s.end
    if (end - start > options.length) {
      // Long sentence: centre the window on its first match.
      const first = matches.find((m) => m.start >= s.start && m.end <= s.end)
      const anchor = first ? first.start : s.start
      start = Math.max(s.start, anchor - Math.floor(options.length / 3))
      end = Math.min(s.end, start + options.length)
    } else {
      // Short sentence: extend forward into the next sentences up to the length.
      end = Math.min(text.length, Math.max(end, start + options.length))
      const stop = nextSentenceEnd(text, end)
      if (stop - start <= options.length * 1.25) end = stop
    }
    start = Math.max(start, lastEnd)
    if (end <= start) continue
    const inside = matches.filter((m) => m.start >= start && m.end <= end)
    out.push(cut(text, start, end, inside, tags))
    lastEnd = end
  }
  return out
}

function cut(text: string, start: number, end: number, matches: readonly Range[], tags: HighlightTags): Snippet {
  // Never split a surrogate pair at either edge.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start--
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end++
  const body = text.slice(start, end).replace(/\s+$/u, '')
  const trimmedEnd = start + body.length
  const lead = start > 0 && !SENTENCE_END.test(text[start - 1]!) ? ELLIPSIS : ''
  const tail = trimmedEnd < text.length && !SENTENCE_END.test(text[trimmedEnd - 1] ?? '') ? ELLIPSIS : ''
  const shift = lead.length - start
  const ranges = mergeRanges(matches.filter((m) => m.end <= trimmedEnd)).map((r) => ({ start: r.start + shift, end: r.end + shift }))
  const snippetText = lead + body + tail
  return { text: snippetText, start, end: trimmedEnd, ranges, html: toHtml(snippetText, ranges, tags) }
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}

function splitSentences(text: string): Range[] {
  const out: Range[] = []
  let start = 0
  for (let i = 0; i < text.length; i++) {
    if (SENTENCE_END.test(text[i]!)) {
      // Keep a closing quote with its sentence: 。” ends after the quote.
      let end = i + 1
      while (end < text.length && /[”’」』)）]/u.test(text[end]!)) end++
      if (end > start) out.push(trimRange(text, start, end))
      start = end
      i = end - 1
    }
  }
  if (start < text.length) out.push(trimRange(text, start, text.length))
  return out.filter((r) => r.end > r.start)
}

function trimRange(text: string, start: number, end: number): Range {
  while (start < end && /\s/u.test(text[start]!)) start++
  return { start, end }
}

function nextSentenceEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (SENTENCE_END.test(text[i]!)) return i + 1
  return text.length
}

function scoreSentence(s: Range, matches: readonly TermMatch[], weights: ReadonlyMap<string, number>): number {
  const distinct = new Set<string>()
  let hits = 0
  for (const m of matches) {
    if (m.start >= s.start && m.end <= s.end) {
      distinct.add(m.term)
      hits++
    }
  }
  let score = 0
  for (const term of distinct) score += weights.get(term) ?? 1
  // Distinct terms dominate; repeats add a little.
  return score * 10 + Math.min(hits, 10)
}
