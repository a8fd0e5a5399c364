/**
 * Encoded `/search` answers kept for repeated requests, as Elasticsearch's request cache and Solr's
 * queryResultCache do: a search box's traffic repeats (popular queries, paging back, the same page
 * reloaded), and assembling ten hits and their JSON costs ~0.3 ms of the ~0.5 ms a request takes.
 * An entry holds for one state of one engine: any write (through the server or not) changes the
 * engine's `generation`, and a replaced engine is another engine, so the cache starts over.
 * Least recently used entries go first, past `maxEntries` or `MAX_BYTES`.
 */
/** What the cache follows: an engine (`SearchEngine.generation`). */
export interface Versioned {
  readonly generation: number
}

/** The bytes all entries may hold together. */
export const MAX_BYTES = 32 * 1024 * 1024

export class ResponseCache {
  private readonly entries = new Map<string, Buffer>()
  private bytes = 0
  private engine: object | undefined
  private generation = -1

  constructor(private readonly maxEntries: number) {}

  /** The answer kept for `key` on the engine as it is now, or undefined. */
  get(engine: Versioned, key: string): Buffer | undefined {
    if (!this.follows(engine)) return undefined
    const body = this.entries.get(key)
    if (body === undefined) return undefined
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.entries.delete(key)
    this.entries.set(key, body)
    return body
  }

  set(engine: Versioned, key: string, body: Buffer): void {
    if (this.maxEntries === 0 || body.length > MAX_BYTES / 4) return
    this.follows(engine)
    const old = this.entries.get(key)
    if (old !== undefined) this.bytes -= old.length
    this.entries.delete(key)
    this.entries.set(key, body)
    this.bytes += body.length
    for (const [first, kept] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= MAX_BYTES) break
      this.entries.delete(first)
      this.bytes -= kept.length
    }
  }

  get size(): number {
    return this.entries.size
  }

  /** Start over when the engine or its state changed; true when the entries are still its. */
  private follows(engine: Versioned): boolean {
    if (engine === this.engine && engine.generation === this.generation) return true
    this.entries.clear()
    this.bytes = 0
    this.engine = engine
    this.generation = engine.generation
    return false
  }
}
