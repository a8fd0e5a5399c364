/**
 * Columns (doc values): per document, the value of each typed field of the schema, stored
 * column-wise so a filter, sort or facet reads one typed array instead of inflating stored JSON.
 *
 * - `number` and `date` columns: one Float64Array slot per internal id (dates as UTC epoch
 *   milliseconds); `NaN` marks a document without a value.
 * - `keyword` columns: dictionary-encoded, several values per document allowed — per document a
 *   range of ordinals (`start[doc] .. start[doc + 1]`) into one ordinal array; after a freeze
 *   the dictionary is sorted, so ordinal order is string order (sort and facet tie-breaks).
 *
 * Removed documents keep their values until compaction (queries only ever see live ids), and
 * compaction renumbers the columns like the field lengths.
 */

export type ColumnType = 'date' | 'keyword' | 'number'

export interface ColumnSpec {
  name: string
  type: ColumnType
}

/** One document's value of one column, as read from the caller: a number (dates: epoch ms), keywords, or none. */
export type ColumnValue = number | readonly string[] | null

/** A column as stored in the index file. */
export interface FrozenColumn {
  name: string
  type: ColumnType
  /** number and date columns: one value per document (NaN = none). */
  values?: Float64Array
  /** keyword columns: sorted distinct values, per-document ordinal ranges, ordinals. */
  dictionary?: string[]
  start?: Uint32Array
  ords?: Uint32Array
}

/** A typed array that grows by doubling, so appends cost amortized O(1) and reads stay typed. */
class Growable<A extends Float64Array | Uint32Array> {
  length = 0
  constructor(
    public data: A,
    private readonly make: (n: number) => A,
  ) {}

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = this.make(Math.max(16, this.data.length * 2))
      next.set(this.data)
      this.data = next
    }
    this.data[this.length++] = value
  }

  /** The filled part (a view: valid until the next push). */
  view(): A {
    return this.data.subarray(0, this.length) as A
  }
}

const float64 = (n: number) => new Float64Array(n)
const uint32 = (n: number) => new Uint32Array(n)

/** A number or date column. */
export class NumericColumn {
  readonly kind = 'numeric' as const
  private readonly data: Growable<Float64Array>

  constructor(
    readonly name: string,
    readonly type: 'date' | 'number',
    values: Float64Array = new Float64Array(0),
  ) {
    this.data = new Growable(values.slice(), float64)
    this.data.length = values.length
  }

  push(value: ColumnValue): void {
    this.data.push(typeof value === 'number' ? value : NaN)
  }

  /** Per internal id, its value (NaN = none). A view: read it, do not keep it across writes. */
  values(): Float64Array {
    return this.data.view()
  }

  keep(remap: Int32Array | undefined, count: number): void {
    if (!remap) return
    const old = this.data.view()
    const next = new Float64Array(count)
    for (let doc = 0; doc < old.length; doc++) if (remap[doc]! >= 0) next[remap[doc]!] = old[doc]!
    this.data.data = next
    this.data.length = count
  }

  frozen(): FrozenColumn {
    return { name: this.name, type: this.type, values: this.data.view().slice() }
  }
}

/** A keyword column: exact strings, several per document. */
export class KeywordColumn {
  readonly kind = 'keyword' as const
  readonly type = 'keyword' as const
  /** Distinct values; sorted after a freeze, in order of first use for values added since. */
  dictionary: string[]
  private ordOf: Map<string, number>
  private start: Growable<Uint32Array>
  private ords: Growable<Uint32Array>

  constructor(
    readonly name: string,
    frozen?: FrozenColumn,
  ) {
    this.dictionary = frozen?.dictionary?.slice() ?? []
    this.ordOf = new Map(this.dictionary.map((value, ord) => [value, ord]))
    const start = frozen?.start ?? Uint32Array.of(0)
    const ords = frozen?.ords ?? new Uint32Array(0)
    this.start = new Growable(start.slice(), uint32)
    this.start.length = start.length
    this.ords = new Growable(ords.slice(), uint32)
    this.ords.length = ords.length
  }

  push(value: ColumnValue): void {
    if (Array.isArray(value)) {
      // A value listed twice for one document counts once (facets count documents).
      for (const v of new Set(value as readonly string[])) {
        let ord = this.ordOf.get(v)
        if (ord === undefined) {
          ord = this.dictionary.length
          this.dictionary.push(v)
          this.ordOf.set(v, ord)
        }
        this.ords.push(ord)
      }
    }
    this.start.push(this.ords.length)
  }

  /** The ordinal of `value`, or undefined when no document has it. */
  ordinal(value: string): number | undefined {
    return this.ordOf.get(value)
  }

  /** Per-document ordinal ranges and the ordinals (views: read them, do not keep them across writes). */
  table(): { start: Uint32Array; ords: Uint32Array } {
    return { start: this.start.view(), ords: this.ords.view() }
  }

  /** Keep the documents `remap` keeps, renumbered, and sort the dictionary of the values still used. */
  keep(remap: Int32Array | undefined, count: number): void {
    const { start, ords } = this.table()
    const used = new Uint8Array(this.dictionary.length)
    const docs = start.length - 1
    for (let doc = 0; doc < docs; doc++) {
      if (remap && remap[doc]! < 0) continue
      for (let k = start[doc]!; k < start[doc + 1]!; k++) used[ords[k]!] = 1
    }
    const values = this.dictionary.filter((_, ord) => used[ord]).sort(compareStrings)
    const newOrd = new Map(values.map((v, ord) => [v, ord]))
    const nextStart = new Growable(new Uint32Array(count + 1), uint32)
    nextStart.length = 1
    const nextOrds = new Growable(new Uint32Array(ords.length), uint32)
    for (let doc = 0; doc < docs; doc++) {
      if (remap && remap[doc]! < 0) continue
      // Ordinals of one document ascend, so a document's values read in string order.
      const mine: number[] = []
      for (let k = start[doc]!; k < start[doc + 1]!; k++) mine.push(newOrd.get(this.dictionary[ords[k]!]!)!)
      mine.sort((a, b) => a - b)
      for (const ord of mine) nextOrds.push(ord)
      nextStart.push(nextOrds.length)
    }
    this.dictionary = values
    this.ordOf = newOrd
    this.start = nextStart
    this.ords = nextOrds
  }

  frozen(): FrozenColumn {
    const { start, ords } = this.table()
    return { name: this.name, type: 'keyword', dictionary: this.dictionary.slice(), start: start.slice(), ords: ords.slice() }
  }
}

export type Column = NumericColumn | KeywordColumn

/** Code-unit order, the same in every locale (localeCompare is not). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The columns of a schema, empty or from a file. */
export function createColumns(specs: readonly ColumnSpec[], frozen?: readonly FrozenColumn[]): Column[] {
  return specs.map((spec, c) => {
    const stored = frozen?.[c]
    return spec.type === 'keyword' ? new KeywordColumn(spec.name, stored) : new NumericColumn(spec.name, spec.type, stored?.values)
  })
}
