/**
 * Facet counts over every matching document (not just the page): per keyword value, per date
 * period (year, month or day, in UTC), or per number range.
 *
 *   facets: { column: { limit: 10 }, date: { interval: 'year' }, views: { ranges: [{ lt: 100 }, { gte: 100 }] } }
 *
 * Keyword buckets: most documents first (ties: value order), at most `limit` (default 10).
 * Date buckets: periods in time order, only those with documents. Range buckets: in the order
 * given, empty ones too. A document with several keywords counts once in each.
 */
import { JiansuoError, describeValue } from '../errors.js'
import { checkKeys } from '../arguments.js'
import { compareStrings, type Column } from '../index/columns.js'
import type { DocBits } from './bitset.js'

export interface FacetOptions {
  /** Keyword facets: buckets returned, most documents first (default 10, at most 10,000). */
  limit?: number
  /** Date facets: `'year'` (default), `'month'` or `'day'` (UTC). */
  interval?: 'year' | 'month' | 'day'
  /** Number facets (required for them): the ranges to count, e.g. `[{ lt: 100 }, { gte: 100 }]`. */
  ranges?: readonly { gte?: number; gt?: number; lte?: number; lt?: number }[]
}

export interface FacetBucket {
  /** The keyword; the period (`2024`, `2024-03`, `2024-03-05`); or the range (`100..1000`, `..100`, `1000..`). */
  value: string
  count: number
}

/** A checked facet request. */
export interface FacetPlan {
  column: Column
  limit: number
  interval: 'year' | 'month' | 'day'
  ranges: { gte?: number; gt?: number; lte?: number; lt?: number }[]
}

const MAX_FACETS = 32
const MAX_BUCKETS = 10_000
const DAY = 86_400_000

function invalid(where: string, value: unknown, expected: string): never {
  throw new JiansuoError('INVALID_OPTION', `Search option ${where} is ${describeValue(value)}; expected ${expected}.`)
}

/** Check a `facets` option against the typed fields. */
export function facetPlans(spec: unknown, columns: readonly Column[]): FacetPlan[] {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) invalid('facets', spec, "an object like { column: { limit: 10 }, date: { interval: 'year' } }")
  const entries = Object.entries(spec)
  if (entries.length > MAX_FACETS) invalid('facets', spec, `at most ${MAX_FACETS} facets`)
  return entries.map(([name, options]) => {
    const column = columns.find((c) => c.name === name)
    if (!column) {
      const typed = columns.map((c) => c.name)
      throw new JiansuoError('UNKNOWN_FIELD', `Search option facets names ${describeValue(name)}, which is not a typed field; facets take ${typed.length ? typed.join(', ') : 'typed fields (declare one, e.g. fields: { column: { type: "keyword" } })'}.`)
    }
    const where = `facets.${name}`
    const o = (options === true ? {} : options) as FacetOptions
    if (typeof o !== 'object' || o === null || Array.isArray(o)) invalid(where, options, 'true or an object')
    checkKeys(`in search() option ${where}`, o, column.type === 'keyword' ? ['limit'] : column.type === 'date' ? ['interval'] : ['ranges'])
    const limit = o.limit ?? 10
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_BUCKETS) invalid(`${where}.limit`, limit, `a whole number from 1 to ${MAX_BUCKETS}`)
    const interval = o.interval ?? 'year'
    if (!['year', 'month', 'day'].includes(interval)) invalid(`${where}.interval`, interval, "'year', 'month' or 'day'")
    const ranges = o.ranges ?? []
    if (column.type === 'number') {
      const ok = Array.isArray(ranges) && ranges.length > 0 && ranges.length <= 100 && ranges.every((r) => r && typeof r === 'object' && Object.keys(r).length > 0 && Object.entries(r).every(([k, v]) => ['gte', 'gt', 'lte', 'lt'].includes(k) && typeof v === 'number' && !Number.isNaN(v)))
      if (!ok) invalid(`${where}.ranges`, ranges, 'an array of 1 to 100 ranges like { gte: 100, lt: 1000 }')
    }
    return { column, limit, interval, ranges: [...ranges] }
  })
}

/** Reused between searches (one runs at a time): the matching ids of the current facet count. */
let idBuffer = new Int32Array(0)

/** The buckets of each facet over the documents in `matches`. */
export function countFacets(plans: readonly FacetPlan[], matches: DocBits, generation: number): Record<string, FacetBucket[]> {
  const out: Record<string, FacetBucket[]> = {}
  // The ids once, then one plain loop per facet (no callback per document).
  if (idBuffer.length < matches.size) idBuffer = new Int32Array(Math.ceil(matches.size * 1.25) + 16)
  const docs = idBuffer.subarray(0, matches.size)
  const words = matches.bits
  for (let w = 0, n = 0; w < words.length; w++) {
    for (let v = words[w]!; v !== 0; v &= v - 1) docs[n++] = w * 32 + (31 - Math.clz32(v & -v))
  }
  for (const plan of plans) {
    const { column } = plan
    if (column.kind === 'keyword') {
      const counts = new Uint32Array(column.dictionary.length)
      const { start, ords } = column.table()
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]!
        for (let k = start[doc]!; k < start[doc + 1]!; k++) counts[ords[k]!]!++
      }
      const buckets: FacetBucket[] = []
      counts.forEach((count, ord) => count > 0 && buckets.push({ value: column.dictionary[ord]!, count }))
      buckets.sort((a, b) => b.count - a.count || compareStrings(a.value, b.value))
      out[column.name] = buckets.slice(0, plan.limit)
      continue
    }
    const values = column.values()
    if (column.type === 'number') {
      const counts = plan.ranges.map(() => 0)
      for (let i = 0; i < docs.length; i++) {
        const v = values[docs[i]!]!
        if (Number.isNaN(v)) continue
        plan.ranges.forEach((r, b) => {
          if ((r.gte === undefined || v >= r.gte) && (r.gt === undefined || v > r.gt) && (r.lte === undefined || v <= r.lte) && (r.lt === undefined || v < r.lt)) counts[b]!++
        })
      }
      out[column.name] = plan.ranges.map((r, i) => ({ value: rangeLabel(r), count: counts[i]! }))
      continue
    }
    // Dates: each document's period as a bucket number, built once per index state.
    const { bucket, labels } = periodBuckets(column, plan.interval, generation)
    const counts = new Uint32Array(labels.length)
    for (let i = 0; i < docs.length; i++) {
      const b = bucket[docs[i]!]!
      if (b >= 0) counts[b]!++
    }
    const buckets: FacetBucket[] = []
    counts.forEach((count, b) => count > 0 && buckets.push({ value: labels[b]!, count }))
    out[column.name] = buckets
  }
  return out
}

function rangeLabel(r: { gte?: number; gt?: number; lte?: number; lt?: number }): string {
  const lo = r.gte ?? r.gt
  const hi = r.lt ?? r.lte
  return `${lo ?? ''}..${hi ?? ''}`
}

const bucketCache = new WeakMap<Column, Map<string, { generation: number; bucket: Int32Array; labels: string[] }>>()

/**
 * Per document, the number of its period (−1: no value), periods numbered in time order, and
 * their labels: one Date per distinct day, not per document. Cached per column, interval and
 * index state, so a facet costs one array read per matching document.
 */
function periodBuckets(column: Column & { kind: 'numeric' }, interval: FacetPlan['interval'], generation: number): { bucket: Int32Array; labels: string[] } {
  let byInterval = bucketCache.get(column)
  if (!byInterval) bucketCache.set(column, (byInterval = new Map()))
  const cached = byInterval.get(interval)
  if (cached && cached.generation === generation) return cached
  const values = column.values()
  const labelOfDay = new Map<number, string>()
  const length = interval === 'year' ? 4 : interval === 'month' ? 7 : 10
  const days = new Float64Array(values.length)
  for (let doc = 0; doc < values.length; doc++) {
    const v = values[doc]!
    const day = Number.isNaN(v) ? NaN : Math.floor(v / DAY)
    days[doc] = day
    if (!Number.isNaN(day) && !labelOfDay.has(day)) labelOfDay.set(day, new Date(day * DAY).toISOString().slice(0, length))
  }
  const labels = [...new Set(labelOfDay.values())].sort(compareStrings)
  const numberOf = new Map(labels.map((label, b) => [label, b]))
  const bucketOfDay = new Map([...labelOfDay].map(([day, label]) => [day, numberOf.get(label)!]))
  const bucket = new Int32Array(values.length)
  for (let doc = 0; doc < values.length; doc++) bucket[doc] = Number.isNaN(days[doc]!) ? -1 : bucketOfDay.get(days[doc]!)!
  const entry = { generation, bucket, labels }
  byInterval.set(interval, entry)
  return entry
}
