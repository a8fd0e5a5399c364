/**
 * Query syntax, as search-box users expect it:
 *
 *   雷锋 志愿服务        words (documents with more of them rank higher)
 *   "文明行为促进条例"   exact phrase (also “…” quotes); a document must contain it — unless
 *                       no document does: then its words are searched without the requirement
 *   -培训               exclude documents containing the word (or -"phrase")
 *   雷锋 OR 志愿者       either side satisfies the group
 *   title:雷锋           scope a word or phrase to one field
 *   date:2024-03         filter on a typed field: a date period, a range (`date:2024-01..2024-03`,
 *                       `views:>=100`) or a keyword (`column:要闻`, `column:"要 闻"`); `-column:社会`
 *                       excludes; several on one field: any of them, on different fields: all
 *
 * Broken syntax (an unclosed quote, a lone `-`, `OR OR`, an unknown `field:`) degrades to plain
 * words and never throws, unless the caller asks for strict parsing.
 */
import { JiansuoError, describeValue } from '../errors.js'
import type { ColumnSpec } from '../index/columns.js'
import { syntaxCondition, type FieldCondition } from './filter.js'

export interface Clause {
  /** The raw text of the word or phrase, analyzed later. */
  text: string
  phrase: boolean
  /** Field scope from `field:`; undefined = all searched fields. */
  field?: string
}

/** `field:value` on a typed field. */
export interface FilterClause {
  field: string
  condition: FieldCondition
  negated: boolean
}

export interface ParsedQuery {
  /** Positive clauses; the clauses inside one group are alternatives (`A OR B`). */
  groups: Clause[][]
  /** Clauses whose documents are removed from the results. */
  excluded: Clause[]
  /** Filters on typed fields. */
  filters: FilterClause[]
}

/** Phrase quotes. 「」 and 『』 are not: in Chinese questions they mark titles and names, not a search operator. */
const OPEN_QUOTES = new Set(['"', '“', '”'])
const CLOSE_FOR: Record<string, string[]> = { '"': ['"', '”', '“'], '“': ['”', '"', '“'], '”': ['”', '"', '“'] }
const SPACE = /[\s\u3000]/u

interface RawPart {
  text: string
  phrase: boolean
  negated: boolean
  field?: string
}

export function parseQuery(query: string, fields: readonly string[], strict = false, columns: readonly ColumnSpec[] = []): ParsedQuery {
  if (typeof query !== 'string') {
    throw new JiansuoError('INVALID_QUERY', `The query is ${describeValue(query)}; pass a string.`)
  }
  const parts: RawPart[] = []
  const filters: FilterClause[] = []
  let i = 0
  const n = query.length
  while (i < n) {
    while (i < n && SPACE.test(query[i]!)) i++
    if (i >= n) break
    let negated = false
    let field: string | undefined
    const start = i
    if (query[i] === '-' || query[i] === '－') {
      negated = true
      i++
    }
    const fieldMatch = /^([A-Za-z_][\w.-]*)[:：]/.exec(query.slice(i, i + 64))
    const column = fieldMatch ? columns.find((c) => c.name === fieldMatch[1]) : undefined
    if (fieldMatch && column) {
      const at = i + fieldMatch[0].length
      const value = filterValue(query, at)
      const condition = value.text ? syntaxCondition(column, value.text) : undefined
      if (condition !== undefined) {
        filters.push({ field: column.name, condition, negated })
        i = value.end
        continue
      }
      if (strict) throw new JiansuoError('INVALID_QUERY', `The query filters ${column.type} field ${column.name} on ${describeValue(value.text)}, which is not ${column.type === 'date' ? 'a date like 2024-03-05, a period like 2024-03 or a range like 2024-01..2024-03' : column.type === 'number' ? 'a number or a range like 10..20 or >=10' : 'a keyword'}.`)
      // Not a value of the field's type: the whole part is searched as words, like an unknown field.
    } else if (fieldMatch) {
      if (fields.includes(fieldMatch[1]!)) {
        field = fieldMatch[1]
        i += fieldMatch[0].length
      } else if (strict) {
        throw new JiansuoError('UNKNOWN_FIELD', `The query names field ${describeValue(fieldMatch[1])}; searchable fields are ${fields.join(', ')}.`)
      }
    }
    const quote = query[i]
    if (quote !== undefined && OPEN_QUOTES.has(quote)) {
      const closers = CLOSE_FOR[quote]!
      let end = -1
      for (let j = i + 1; j < n; j++) {
        if (closers.includes(query[j]!)) {
          end = j
          break
        }
      }
      if (end >= 0) {
        const text = query.slice(i + 1, end)
        if (text.trim()) parts.push({ text, phrase: true, negated, ...(field ? { field } : {}) })
        i = end + 1
        continue
      }
      if (strict) throw new JiansuoError('INVALID_QUERY', `The query ${describeValue(query)} has an unclosed quote at ${i}; close it or remove it.`)
      // Unclosed quote: the rest is plain words.
      i++
      continue
    }
    let j = i
    while (j < n && !SPACE.test(query[j]!)) j++
    const text = query.slice(i, j)
    if (strict && [...text].some((c) => OPEN_QUOTES.has(c))) {
      throw new JiansuoError('INVALID_QUERY', `The query has a quote inside the word ${describeValue(text)}; put quotes around a whole phrase, or remove them.`)
    }
    i = j
    if (!text) {
      if (strict) {
        const what = field ? `field prefix "${field}:" with no word after it` : 'lone "-"'
        throw new JiansuoError('INVALID_QUERY', `The query has a ${what} at ${start}; follow it with a word, or remove it.`)
      }
      continue
    }
    parts.push({ text, phrase: false, negated, ...(field ? { field } : {}) })
  }

  const groups: Clause[][] = []
  const excluded: Clause[] = []
  let joinNext = false
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!
    const clause: Clause = { text: part.text, phrase: part.phrase, ...(part.field ? { field: part.field } : {}) }
    if (!part.phrase && !part.negated && part.text === 'OR') {
      // OR joins its neighbours; at the start, the end, or doubled it is just ignored.
      const next = parts[k + 1]
      if (strict && (groups.length === 0 || joinNext || !next || (next.text === 'OR' && !next.phrase) || next.negated)) {
        throw new JiansuoError('INVALID_QUERY', `The query ${describeValue(query)} has an OR without a word on each side; put it between two words.`)
      }
      joinNext = groups.length > 0
      continue
    }
    if (part.negated) {
      excluded.push(clause)
      joinNext = false
      continue
    }
    if (joinNext) groups[groups.length - 1]!.push(clause)
    else groups.push([clause])
    joinNext = false
  }
  return { groups, excluded, filters }
}

/** A filter's value text after `field:`: up to the next space, or a quoted phrase. */
function filterValue(query: string, at: number): { text: string; end: number } {
  const quote = query[at]
  if (quote !== undefined && OPEN_QUOTES.has(quote)) {
    const closers = CLOSE_FOR[quote]!
    for (let j = at + 1; j < query.length; j++) if (closers.includes(query[j]!)) return { text: query.slice(at + 1, j), end: j + 1 }
  }
  let j = at
  while (j < query.length && !SPACE.test(query[j]!)) j++
  return { text: query.slice(at, j), end: j }
}
