/**
 * Bounded top-k collector: keeps the k best (score desc, then internal doc id asc, so ties keep
 * insertion order) in a min-heap of size k. O(n log k) instead of sorting every match.
 */
export class TopK {
  private readonly k: number
  private docs: number[] = []
  private scores: number[] = []

  constructor(k: number) {
    this.k = k
  }

  /** `a` ranks below `b`. */
  private worse(i: number, j: number): boolean {
    const si = this.scores[i]!
    const sj = this.scores[j]!
    return si < sj || (si === sj && this.docs[i]! > this.docs[j]!)
  }

  push(doc: number, score: number): void {
    if (this.k <= 0) return
    if (this.docs.length < this.k) {
      this.docs.push(doc)
      this.scores.push(score)
      this.up(this.docs.length - 1)
      return
    }
    const s0 = this.scores[0]!
    if (score < s0 || (score === s0 && doc > this.docs[0]!)) return
    this.docs[0] = doc
    this.scores[0] = score
    this.down(0)
  }

  /** The score a document must reach to enter (−∞ until k are held). */
  get floor(): number {
    if (this.k <= 0) return Infinity
    return this.docs.length < this.k ? -Infinity : this.scores[0]!
  }

  /** Best first. */
  results(): { doc: number; score: number }[] {
    // A push loop, not map(): map's result changed shape between V8 tiers and kept deoptimizing the caller.
    const out: { doc: number; score: number }[] = []
    for (let i = 0; i < this.docs.length; i++) out.push({ doc: this.docs[i]!, score: this.scores[i]! })
    return out.sort((a, b) => b.score - a.score || a.doc - b.doc)
  }

  private swap(i: number, j: number): void {
    ;[this.docs[i], this.docs[j]] = [this.docs[j]!, this.docs[i]!]
    ;[this.scores[i], this.scores[j]] = [this.scores[j]!, this.scores[i]!]
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.worse(i, parent)) break
      this.swap(i, parent)
      i = parent
    }
  }

  private down(i: number): void {
    const n = this.docs.length
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < n && this.worse(l, m)) m = l
      if (r < n && this.worse(r, m)) m = r
      if (m === i) break
      this.swap(i, m)
      i = m
    }
  }
}
