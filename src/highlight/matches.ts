/**
 * Finding where query terms occur in a stored field, as ranges of the ORIGINAL text.
 *
 * Why not re-run the segmenter: a hit's text would have to be segmented again for every search
 * (slow for long articles). Terms are matched in the normalized text instead — the same folding
 * the analyzer applies — and mapped back through the offset table, so `雷锋` highlights `雷鋒`.
 * Latin/digit terms must match whole words (`5g` does not light up inside `15g`).
 */
import { normalize, type NormalizeOptions } from '../analysis/normalize.js'

export interface Range {
  start: number
  end: number
}

export interface TermMatch extends Range {
  term: string
}

const WORDISH = /[\p{L}\p{N}]/u
const HAN = /\p{Script=Han}/u

export function findMatches(text: string, terms: readonly string[], options: NormalizeOptions): TermMatch[] {
  if (!text || terms.length === 0) return []
  const norm = normalize(text, options)
  const s = norm.text
  const found: TermMatch[] = []
  for (const term of terms) {
    if (!term) continue
    const needsBoundary = !HAN.test(term)
    for (let at = s.indexOf(term); at >= 0; at = s.indexOf(term, at + 1)) {
      const end = at + term.length
      if (needsBoundary) {
        const before = at > 0 ? s[at - 1]! : ''
        const after = end < s.length ? s[end]! : ''
        if ((before && WORDISH.test(before) && !HAN.test(before)) || (after && WORDISH.test(after) && !HAN.test(after))) continue
      }
      found.push(norm.originStart ? { term, start: norm.originStart[at]!, end: norm.originEnd![end - 1]! } : { term, start: at, end })
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end)
  // A lone Han character (五 from 五/云山) lights up everywhere; when the query has longer terms,
  // keep single characters only where they touch another match, i.e. where they are part of it.
  if (!terms.some((t) => isSingleHan(t)) || terms.every((t) => isSingleHan(t))) return found
  return found.filter((m, i) => {
    if (!isSingleHan(m.term)) return true
    const prev = found[i - 1]
    const next = found[i + 1]
    return (prev !== undefined && prev.end >= m.start) || (next !== undefined && next.start <= m.end)
  })
}

function isSingleHan(term: string): boolean {
  return term.length <= 2 && [...term].length === 1 && HAN.test(term)
}

/** Merge overlapping or touching ranges (`雷锋` + `精神` side by side become one highlight). */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end)
  const out: Range[] = []
  for (const r of sorted) {
    const last = out[out.length - 1]
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end)
    else out.push({ start: r.start, end: r.end })
  }
  return out
}

/**
 * Whether `text`, folded as the analyzer folds it, contains one of `terms` (as a substring: no
 * word-boundary or lone-character rules, so it never says no where the index said yes). Plain
 * text is searched first, so simplified text costs a few `includes`. `undefined` when that cannot
 * be told cheaply: nothing in the text as given, and it is longer than the `scanLimit` folded.
 */
export function mentionsAny(text: string, terms: readonly string[], options: NormalizeOptions, scanLimit: number): boolean | undefined {
  const wanted = terms.filter((t) => t.length > 0)
  if (wanted.some((t) => text.includes(t))) return true
  const folded = normalize(text.length > scanLimit ? text.slice(0, scanLimit) : text, options).text
  if (wanted.some((t) => folded.includes(t))) return true
  return text.length > scanLimit ? undefined : false
}
