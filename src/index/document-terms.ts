/**
 * One document's analyzed fields, grouped by term: the unit the index writer consumes and what
 * build workers send back (flat typed arrays transfer cheaply between threads).
 */
import { distinctPairs } from '../analysis/char-pairs.js'

export interface FieldTerms {
  terms: string[]
  positions: ArrayLike<number>
  length: number
  /** Distinct adjacent Han character pairs of the field's folded text (analysis/char-pairs.ts). */
  pairs: Uint32Array
}

export interface DocumentTerms {
  /** Distinct terms, in first-seen order. */
  terms: string[]
  /** `terms.length × fieldCount` frequencies. */
  freqs: Uint32Array
  /** Term i's positions are `positions[posStart[i] .. posStart[i+1])`, field by field, ascending. */
  posStart: Uint32Array
  positions: Uint32Array
  /** Per field: length in positions (for BM25 length normalization). */
  lengths: number[]
  /** Distinct adjacent Han character pairs of all fields. */
  pairs: Uint32Array
}

export function groupByTerm(fields: readonly FieldTerms[]): DocumentTerms {
  const F = fields.length
  const local = new Map<string, number>()
  const terms: string[] = []
  let total = 0
  for (const field of fields) total += field.terms.length
  // Local term id of every token, field by field.
  const ids = new Uint32Array(total)
  let k = 0
  for (const field of fields) {
    for (const term of field.terms) {
      let id = local.get(term)
      if (id === undefined) {
        id = terms.length
        local.set(term, id)
        terms.push(term)
      }
      ids[k++] = id
    }
  }
  const freqs = new Uint32Array(terms.length * F)
  k = 0
  fields.forEach((field, f) => {
    for (let i = 0; i < field.terms.length; i++) freqs[ids[k++]! * F + f]!++
  })
  // Counting sort of positions by (term, field); tokens arrive in position order within a field.
  const posStart = new Uint32Array(terms.length + 1)
  for (let t = 0; t < terms.length; t++) {
    let sum = 0
    for (let f = 0; f < F; f++) sum += freqs[t * F + f]!
    posStart[t + 1] = posStart[t]! + sum
  }
  const cursor = posStart.slice(0, terms.length)
  const positions = new Uint32Array(total)
  k = 0
  for (const field of fields) {
    for (let i = 0; i < field.terms.length; i++) positions[cursor[ids[k++]!]!++] = field.positions[i]!
  }
  const pairs = distinctPairs(fields.map((f) => f.pairs))
  return { terms, freqs, posStart, positions, lengths: fields.map((f) => f.length), pairs }
}
