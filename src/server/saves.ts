/**
 * Saves after writes, coalesced: the first write after a save starts a timer, and every write
 * until it fires joins that one save. Unlike a debounce that restarts on each write, a steady
 * stream of writes cannot postpone saving forever, so at most `delayMs` (plus the save itself) of
 * acknowledged writes is ever only in memory. `flush()` saves now — the graceful shutdown's step.
 */
export class SaveScheduler {
  /** Writes seen, and how many of them the last finished save holds. */
  private changes = 0
  private saved = 0
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined

  constructor(
    /** Writes the engine's current state (`engine.save(path)`: the state is taken when called). */
    private readonly save: () => Promise<void>,
    private readonly delayMs: number,
    /** A timed save failed; the changes stay unsaved and the next write or `flush()` tries again. */
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Whether some acknowledged write is not in the file yet. */
  get pending(): boolean {
    return this.changes > this.saved
  }

  /** A write was applied to the engine: make sure a save follows within `delayMs`. */
  changed(): void {
    this.changes++
    // Not unref'd: a pending save is a reason for the process to stay alive.
    this.timer ??= setTimeout(() => {
      this.timer = undefined
      this.run().catch(this.onError)
    }, this.delayMs)
  }

  /** Save now if a write is unsaved (after a save already running); rejects when that save fails. */
  async flush(): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    await this.running
    if (this.pending) await this.run()
  }

  /** One save after the running one; `saved` moves only when it succeeds. */
  private run(): Promise<void> {
    const previous = this.running
    const task = (async () => {
      await previous
      // engine.save() takes the state when called: the file holds every change counted so far.
      const upTo = this.changes
      await this.save()
      this.saved = Math.max(this.saved, upTo)
    })()
    // The chain never rejects; the caller of run() gets the failure.
    const settled = task.catch(() => undefined)
    this.running = settled
    void settled.then(() => {
      if (this.running === settled) this.running = undefined
    })
    return task
  }
}
