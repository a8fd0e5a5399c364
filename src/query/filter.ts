/**
 * Filters on typed fields (columns): the `filter` search option and the `field:value` query
 * syntax both become one `DocBits` of the live documents that pass, which the executor
 * intersects before it scores anything.
 *
 *   { date: { gte: '2024-01-01', lt: '2024-04-01' } }   a range (dates name periods, see below)
 *   { date: '2024-03' }                                 a period: all of March 2024
 *   { column: ['要闻', '社会'] }                         any of these keywords
 *   { views: { gte: 100 } }, { views: 42 }              number ranges and values
 *   { and: [f, g] }, { or: [f, g] }, { not: f }          combinations; several keys in one object: and
 *
 * A date bound names a period, and a bound takes the whole period in or out, as a reader means it:
 * `gte: '2024-03'` from 1 March on, `gt: '2024-03'` from April on, `lte: '2024-03'` up to the end
 * of March, `lt: '2024-03'` before March.
 */
import { JiansuoError, describeValue } from '../errors.js'
import type { Column, ColumnSpec } from '../index/columns.js'
import { parsePeriod } from '../index/column-values.js'
import { lowerBound, upperBound } from '../index/sorted-search.js'
import { DocBits } from './bitset.js'
import type { FilterClause } from './parser.js'

/** A range over a number or date field. */
export interface RangeCondition<V = string | number | Date> {
  gte?: V
  gt?: V
  lte?: V
  lt?: V
}

/** What one typed field must hold: a value, any of several values, or a range. */
export type FieldCondition = string | number | Date | readonly (string | number | Date)[] | RangeCondition

/** A filter: typed field → condition (all must hold), or `and` / `or` / `not` of filters. */
export interface Filter {
  and?: readonly Filter[]
  or?: readonly Filter[]
  not?: Filter
  [field: string]: FieldCondition | Filter | readonly Filter[] | undefined
}

/** The source of the documents a filter reads: columns and which ids are live. */
export interface FilterSource {
  columns: readonly Column[]
  docIdLimit: number
  /** Bumped by every change: cached filter results key on it. */
  generation: number
  isLive(doc: number): boolean
}

/** A closed or half-open numeric interval; a condition on a number or date field is a union of these. */
interface Interval {
  lo: number
  loOpen: boolean
  hi: number
  hiOpen: boolean
}

const MAX_DEPTH = 16
const MAX_VALUES = 1000
const RANGE_KEYS = ['gte', 'gt', 'lte', 'lt']

function invalid(where: string, value: unknown, expected: string): never {
  throw new JiansuoError('INVALID_OPTION', `Search option ${where} is ${describeValue(value)}; expected ${expected}.`)
}

/** The live documents that pass `filter`. */
export function filterDocuments(filter: Filter, source: FilterSource): DocBits {
  return evaluate(filter, source, 'filter', 0)
}

function evaluate(filter: Filter, source: FilterSource, where: string, depth: number): DocBits {
  if (depth > MAX_DEPTH) invalid(where, '(nested deeper)', `filters nested at most ${MAX_DEPTH} deep`)
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter) || filter instanceof Date) {
    invalid(where, filter, 'an object like { date: { gte: "2024-01-01" }, column: ["要闻"] }')
  }
  const parts: DocBits[] = []
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value) || value.length > MAX_VALUES) invalid(`${where}.${key}`, value, `an array of at most ${MAX_VALUES} filters`)
      const each = (value as Filter[]).map((f, i) => evaluate(f, source, `${where}.${key}[${i}]`, depth + 1))
      parts.push(key === 'and' ? intersectAll(each, source) : unionAll(each, source))
    } else if (key === 'not') {
      parts.push(complement(evaluate(value as Filter, source, `${where}.not`, depth + 1), source))
    } else {
      parts.push(fieldDocuments(key, value as FieldCondition, source, `${where}.${key}`))
    }
  }
  return intersectAll(parts, source)
}

/** The live documents whose value of `name` meets `condition`. */
export function fieldDocuments(name: string, condition: FieldCondition, source: FilterSource, where = `filter.${name}`): DocBits {
  const column = source.columns.find((c) => c.name === name)
  if (!column) {
    const typed = source.columns.map((c) => c.name)
    throw new JiansuoError('UNKNOWN_FIELD', `Search option ${where} names ${describeValue(name)}, which is not a typed field; filters take ${typed.length ? typed.join(', ') : 'none (declare one, e.g. fields: { date: { type: "date" } })'}.`)
  }
  const out = new DocBits(source.docIdLimit)
  if (column.kind === 'keyword') {
    const values = typeof condition === 'string' ? [condition] : condition
    if (!Array.isArray(values) || values.length > MAX_VALUES || values.some((v) => typeof v !== 'string')) invalid(where, condition, `a keyword or an array of at most ${MAX_VALUES} keywords`)
    const wanted = new Uint8Array(column.dictionary.length)
    let any = false
    for (const v of values as string[]) {
      const ord = column.ordinal(v)
      if (ord === undefined) continue
      wanted[ord] = 1
      any = true
    }
    if (!any) return out
    const { start, ords } = column.table()
    const words = out.bits
    for (let doc = 0; doc + 1 < start.length; doc++) {
      for (let k = start[doc]!; k < start[doc + 1]!; k++) {
        if (wanted[ords[k]!]) {
          words[doc >>> 5]! |= 1 << (doc & 31)
          break
        }
      }
    }
    return onlyLive(out, source)
  }
  const intervals = numericCondition(column.type, condition, where)
  // Binary searches in the column's sorted order: a range costs its documents, not the index's.
  const { docs, sorted } = sortedValues(column, source.generation)
  const words = out.bits
  for (const { lo, loOpen, hi, hiOpen } of intervals) {
    const from = loOpen ? upperBound(sorted, lo) : lowerBound(sorted, lo)
    const to = hiOpen ? lowerBound(sorted, hi) : upperBound(sorted, hi)
    for (let i = from; i < to; i++) {
      const doc = docs[i]!
      words[doc >>> 5]! |= 1 << (doc & 31)
    }
  }
  return onlyLive(out, source)
}

const sortedCache = new WeakMap<Column, { generation: number; docs: Int32Array; sorted: Float64Array }>()

/** The documents with a value, by ascending value (NaN = none left out), once per column and index state. */
function sortedValues(column: Column & { kind: 'numeric' }, generation: number): { docs: Int32Array; sorted: Float64Array } {
  const cached = sortedCache.get(column)
  if (cached && cached.generation === generation) return cached
  const values = column.values()
  let n = 0
  for (let doc = 0; doc < values.length; doc++) if (!Number.isNaN(values[doc]!)) n++
  const docs = new Int32Array(n)
  for (let doc = 0, i = 0; doc < values.length; doc++) if (!Number.isNaN(values[doc]!)) docs[i++] = doc
  docs.sort((a, b) => values[a]! - values[b]! || a - b)
  const sorted = new Float64Array(n)
  for (let i = 0; i < n; i++) sorted[i] = values[docs[i]!]!
  const entry = { generation, docs, sorted }
  sortedCache.set(column, entry)
  return entry
}

/** `set` without removed documents (their values stay in the columns until compaction), counted. */
function onlyLive(set: DocBits, source: FilterSource): DocBits {
  const live = liveBits(source).bits
  const words = set.bits
  for (let w = 0; w < words.length; w++) words[w]! &= live[w]!
  set.recount()
  return set
}

/** A condition on a number or date field as intervals (any of them passes). */
function numericCondition(type: 'date' | 'number', condition: FieldCondition, where: string): Interval[] {
  if (Array.isArray(condition)) {
    if (condition.length > MAX_VALUES) invalid(where, condition, `at most ${MAX_VALUES} values`)
    return condition.map((v, i) => exactInterval(type, v, `${where}[${i}]`))
  }
  if (typeof condition === 'object' && condition !== null && !(condition instanceof Date)) {
    const range = condition as RangeCondition
    const keys = Object.keys(range)
    if (keys.length === 0 || keys.some((k) => !RANGE_KEYS.includes(k))) invalid(where, condition, 'a range with gte, gt, lte and/or lt')
    const r: Interval = { lo: -Infinity, loOpen: false, hi: Infinity, hiOpen: false }
    if (range.gte !== undefined) r.lo = bound(type, range.gte, `${where}.gte`, 'start')
    if (range.gt !== undefined) [r.lo, r.loOpen] = type === 'date' ? [bound(type, range.gt, `${where}.gt`, 'end'), false] : [bound(type, range.gt, `${where}.gt`, 'start'), true]
    if (range.lte !== undefined) [r.hi, r.hiOpen] = type === 'date' ? [bound(type, range.lte, `${where}.lte`, 'end'), true] : [bound(type, range.lte, `${where}.lte`, 'start'), false]
    if (range.lt !== undefined) [r.hi, r.hiOpen] = [bound(type, range.lt, `${where}.lt`, 'start'), true]
    return [r]
  }
  return [exactInterval(type, condition as string | number | Date, where)]
}

function exactInterval(type: 'date' | 'number', value: string | number | Date, where: string): Interval {
  if (type === 'number') {
    const x = bound(type, value, where, 'start')
    return { lo: x, loOpen: false, hi: x, hiOpen: false }
  }
  return { lo: bound(type, value, where, 'start'), loOpen: false, hi: bound(type, value, where, 'end'), hiOpen: true }
}

/** A number, or the start or end of the period a date names. */
function bound(type: 'date' | 'number', value: unknown, where: string, edge: 'start' | 'end'): number {
  if (type === 'number') {
    if (typeof value !== 'number' || Number.isNaN(value)) invalid(where, value, 'a number')
    return value
  }
  if (value instanceof Date && Number.isFinite(value.getTime())) return edge === 'start' ? value.getTime() : value.getTime() + 1
  const period = typeof value === 'string' ? parsePeriod(value) : undefined
  if (!period) invalid(where, value, 'an ISO date like "2024", "2024-03", "2024-03-05" or "2024-03-05T08:00:00+08:00", or a Date')
  return period[edge]
}

/**
 * The query syntax's `field:value` as a condition: `2024-03`, `2024-01..2024-03` (both ends
 * included; either may be left out), `>=2024-01-01`, `>100`, `<=…`, `<…`, or an exact keyword.
 * Undefined when the text is not a value of the field's type.
 */
export function syntaxCondition(spec: ColumnSpec, text: string): FieldCondition | undefined {
  if (spec.type === 'keyword') return text.length > 0 ? text : undefined
  const value = (s: string): string | number | undefined => {
    if (spec.type === 'date') return parsePeriod(s) ? s : undefined
    const n = s.trim() === '' ? NaN : Number(s)
    return Number.isFinite(n) ? n : undefined
  }
  const range = /^(.*?)\.\.(.*)$/.exec(text)
  if (range) {
    const [, from, to] = range
    const lo = from === '' ? undefined : value(from!)
    const hi = to === '' ? undefined : value(to!)
    if ((from !== '' && lo === undefined) || (to !== '' && hi === undefined) || (lo === undefined && hi === undefined)) return undefined
    return { ...(lo === undefined ? {} : { gte: lo }), ...(hi === undefined ? {} : { lte: hi }) }
  }
  const compare = /^(>=|>|<=|<)(.+)$/.exec(text)
  if (compare) {
    const v = value(compare[2]!)
    if (v === undefined) return undefined
    const key = ({ '>=': 'gte', '>': 'gt', '<=': 'lte', '<': 'lt' } as const)[compare[1] as '>=']
    return { [key]: v }
  }
  return value(text)
}

export function intersectAll(sets: readonly DocBits[], source: FilterSource): DocBits {
  if (sets.length === 0) return allLive(source)
  const out = new DocBits(source.docIdLimit)
  const words = out.bits
  words.set(sets[0]!.bits.subarray(0, words.length))
  for (let s = 1; s < sets.length; s++) {
    const b = sets[s]!.bits
    for (let w = 0; w < words.length; w++) words[w]! &= b[w] ?? 0
  }
  out.recount()
  return out
}

export function unionAll(sets: readonly DocBits[], source: FilterSource): DocBits {
  const out = new DocBits(source.docIdLimit)
  for (const set of sets) out.addAll(set)
  return out
}

function complement(set: DocBits, source: FilterSource): DocBits {
  const out = allLive(source)
  const words = out.bits
  for (let w = 0; w < words.length; w++) words[w]! &= ~(set.bits[w] ?? 0)
  out.recount()
  return out
}

const liveCache = new WeakMap<FilterSource, { generation: number; bits: DocBits }>()

/** The live documents, shared: built once per index state, never to be changed. */
function liveBits(source: FilterSource): DocBits {
  let cached = liveCache.get(source)
  if (!cached || cached.generation !== source.generation) {
    const bits = new DocBits(source.docIdLimit)
    for (let doc = 0; doc < source.docIdLimit; doc++) if (source.isLive(doc)) bits.add(doc)
    liveCache.set(source, (cached = { generation: source.generation, bits }))
  }
  return cached.bits
}

/** Every live document (a fresh copy). */
export function allLive(source: FilterSource): DocBits {
  const cached = liveBits(source)
  const out = new DocBits(source.docIdLimit)
  out.bits.set(cached.bits)
  out.size = cached.size
  return out
}

/**
 * Filter results of recent searches, per index state: a search service asks the same filters
 * again and again (this month, one column), and a cached set costs nothing to reuse. Keys are
 * the filter's JSON (a Date and its ISO text name the same instant, so they may share).
 */
export class FilterCache {
  private generation = -1
  private readonly entries = new Map<string, DocBits>()
  constructor(private readonly capacity = 64) {}

  get(filter: unknown, generation: number, compute: () => DocBits | undefined): DocBits | undefined {
    if (generation !== this.generation) {
      this.entries.clear()
      this.generation = generation
    }
    let key: string
    try {
      key = JSON.stringify(filter)
    } catch {
      // A cycle or a BigInt: not cacheable, and the filter check will say what is wrong with it.
      return compute()
    }
    const hit = this.entries.get(key)
    if (hit) {
      // Most recently used last: the first entry is the one to evict.
      this.entries.delete(key)
      this.entries.set(key, hit)
      return hit
    }
    const value = compute()
    if (!value) return undefined
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!)
    this.entries.set(key, value)
    return value
  }
}

/**
 * The documents a search may return, from the query's `field:value` clauses (on one field: any
 * of them; on different fields: all; negated: none) and the `filter` option; undefined: no filter.
 */
export function queryFilter(clauses: readonly FilterClause[], option: Filter | undefined, source: FilterSource): DocBits | undefined {
  if (clauses.length === 0 && option === undefined) return undefined
  const parts: DocBits[] = []
  if (option !== undefined) parts.push(filterDocuments(option, source))
  const byField = new Map<string, DocBits[]>()
  for (const clause of clauses) {
    if (clause.negated) continue
    const list = byField.get(clause.field) ?? []
    list.push(fieldDocuments(clause.field, clause.condition, source, `${clause.field}: in the query`))
    byField.set(clause.field, list)
  }
  for (const sets of byField.values()) parts.push(unionAll(sets, source))
  const negated = clauses.filter((c) => c.negated).map((c) => fieldDocuments(c.field, c.condition, source, `-${c.field}: in the query`))
  if (negated.length > 0) parts.push(complement(unionAll(negated, source), source))
  return intersectAll(parts, source)
}
