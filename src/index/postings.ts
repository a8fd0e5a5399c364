/**
 * Postings: for each term, the documents containing it (ascending internal id), the term's
 * frequency in each field, and its positions (field by field, ascending) for phrase matching.
 *
 * Two forms behind one reader shape:
 * - frozen: all terms concatenated into a few typed arrays (what a loaded or compacted index has;
 *   compact in memory, saved as raw bytes, no per-term objects until a term is asked for);
 * - mutable: per-term JS arrays, used while documents are added or removed. A frozen term is
 *   copied out ("thawed") the first time a write touches it.
 */

/** Read access to one term's postings. `posStart` has `length + 1` entries into `pos`. */
export interface PostingList {
  readonly length: number
  readonly docs: ArrayLike<number>
  /** `fieldCount` frequencies per document entry. */
  readonly freqs: ArrayLike<number>
  /** Entry i's positions are `pos[posStart[i] .. posStart[i+1])`, field 0's first. */
  readonly posStart: ArrayLike<number>
  readonly pos: ArrayLike<number>
}

export class MutablePostingList implements PostingList {
  docs: number[] = []
  freqs: number[] = []
  posStart: number[] = [0]
  pos: number[] = []
  get length(): number {
    return this.docs.length
  }
}

/** All terms' postings as flat arrays; term t's entries are `docStart[t] .. docStart[t+1]`. */
export interface FrozenPostings {
  terms: string[]
  docStart: Uint32Array
  docs: Uint32Array
  freqs: Uint32Array
  posStart: Uint32Array
  pos: Uint32Array
}

export class PostingsStore {
  readonly fieldCount: number
  private frozen: FrozenPostings
  private frozenIndex: Map<string, number>
  /** Terms written since the last freeze; they shadow the frozen entry of the same term. */
  private mutable = new Map<string, MutablePostingList>()

  constructor(fieldCount: number, frozen?: FrozenPostings) {
    this.fieldCount = fieldCount
    this.frozen = frozen ?? emptyFrozen()
    this.frozenIndex = indexTerms(this.frozen.terms)
  }

  get(term: string): PostingList | undefined {
    const m = this.mutable.get(term)
    if (m) return m.length > 0 ? m : undefined
    const t = this.frozenIndex.get(term)
    return t === undefined ? undefined : this.frozenView(t)
  }

  /** Number of documents containing `term` (0 when unknown). */
  docFreq(term: string): number {
    const m = this.mutable.get(term)
    if (m) return m.length
    const t = this.frozenIndex.get(term)
    return t === undefined ? 0 : this.frozen.docStart[t + 1]! - this.frozen.docStart[t]!
  }

  /** Every term with at least one posting (for substring expansion of unknown query words). */
  *terms(): IterableIterator<string> {
    for (const [term, list] of this.mutable) if (list.length > 0) yield term
    for (const term of this.frozen.terms) if (!this.mutable.has(term)) yield term
  }

  get termCount(): number {
    let n = this.frozen.terms.length
    for (const [term, list] of this.mutable) {
      const inFrozen = this.frozenIndex.has(term)
      if (list.length > 0 && !inFrozen) n++
      else if (list.length === 0 && inFrozen) n--
    }
    return n
  }

  /** Append an entry; `doc` must be larger than every doc already in the term's list. */
  append(term: string, doc: number, freqs: ArrayLike<number>, positions: ArrayLike<number>): void {
    const list = this.writable(term)
    list.docs.push(doc)
    for (let f = 0; f < this.fieldCount; f++) list.freqs.push(freqs[f]!)
    for (let i = 0; i < positions.length; i++) list.pos.push(positions[i]!)
    list.posStart.push(list.pos.length)
  }

  /** Remove `doc` from the term's list (no-op when absent). */
  removeDoc(term: string, doc: number): void {
    if (this.docFreq(term) === 0) return
    const list = this.writable(term)
    const i = lowerBound(list.docs, doc)
    if (list.docs[i] !== doc) return
    const from = list.posStart[i]!
    const to = list.posStart[i + 1]!
    list.docs.splice(i, 1)
    list.freqs.splice(i * this.fieldCount, this.fieldCount)
    list.pos.splice(from, to - from)
    list.posStart.splice(i + 1, 1)
    for (let k = i + 1; k < list.posStart.length; k++) list.posStart[k]! -= to - from
  }

  /**
   * Merge everything into the frozen form, renumbering documents through `remap`
   * (old id → new id, or -1 for a document that no longer exists; must keep order).
   */
  freeze(remap?: Int32Array): FrozenPostings {
    const terms = [...this.terms()].sort()
    let entries = 0
    let positions = 0
    const lists = terms.map((term) => {
      const list = this.get(term)!
      entries += list.length
      positions += list.posStart[list.length]! - list.posStart[0]!
      return list
    })
    const F = this.fieldCount
    const out: FrozenPostings = {
      terms: [],
      docStart: new Uint32Array(terms.length + 1),
      docs: new Uint32Array(entries),
      freqs: new Uint32Array(entries * F),
      posStart: new Uint32Array(entries + 1),
      pos: new Uint32Array(positions),
    }
    let e = 0
    let p = 0
    for (let t = 0; t < terms.length; t++) {
      const list = lists[t]!
      const start = e
      for (let i = 0; i < list.length; i++) {
        const doc = remap ? remap[list.docs[i]!]! : list.docs[i]!
        if (doc < 0) continue
        out.docs[e] = doc
        for (let f = 0; f < F; f++) out.freqs[e * F + f] = list.freqs[i * F + f]!
        out.posStart[e] = p
        for (let k = list.posStart[i]!; k < list.posStart[i + 1]!; k++) out.pos[p++] = list.pos[k]!
        e++
      }
      if (e > start) {
        out.docStart[out.terms.length] = start
        out.terms.push(terms[t]!)
      }
    }
    out.docStart[out.terms.length] = e
    out.posStart[e] = p
    const trimmed: FrozenPostings = {
      terms: out.terms,
      docStart: out.docStart.slice(0, out.terms.length + 1),
      docs: out.docs.slice(0, e),
      freqs: out.freqs.slice(0, e * F),
      posStart: out.posStart.slice(0, e + 1),
      pos: out.pos.slice(0, p),
    }
    this.frozen = trimmed
    this.frozenIndex = indexTerms(trimmed.terms)
    this.mutable.clear()
    return trimmed
  }

  get mutableTermCount(): number {
    return this.mutable.size
  }

  get frozenPostings(): FrozenPostings {
    return this.frozen
  }

  private frozenView(t: number): PostingList {
    const f = this.frozen
    const a = f.docStart[t]!
    const b = f.docStart[t + 1]!
    const F = this.fieldCount
    return {
      length: b - a,
      docs: f.docs.subarray(a, b),
      freqs: f.freqs.subarray(a * F, b * F),
      posStart: f.posStart.subarray(a, b + 1),
      pos: f.pos,
    }
  }

  private writable(term: string): MutablePostingList {
    let list = this.mutable.get(term)
    if (list) return list
    list = new MutablePostingList()
    const t = this.frozenIndex.get(term)
    if (t !== undefined) {
      const view = this.frozenView(t)
      list.docs = Array.from(view.docs)
      list.freqs = Array.from(view.freqs)
      const base = view.posStart[0]!
      list.posStart = Array.from(view.posStart, (s) => s - base)
      list.pos = Array.from(this.frozen.pos.subarray(base, view.posStart[view.length]!))
    }
    this.mutable.set(term, list)
    return list
  }
}

function emptyFrozen(): FrozenPostings {
  return {
    terms: [],
    docStart: new Uint32Array(1),
    docs: new Uint32Array(0),
    freqs: new Uint32Array(0),
    posStart: new Uint32Array(1),
    pos: new Uint32Array(0),
  }
}

function indexTerms(terms: string[]): Map<string, number> {
  const map = new Map<string, number>()
  for (let i = 0; i < terms.length; i++) map.set(terms[i]!, i)
  return map
}

export function lowerBound(a: ArrayLike<number>, x: number): number {
  let lo = 0
  let hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (a[mid]! < x) lo = mid + 1
    else hi = mid
  }
  return lo
}
