/**
 * `jiansuo serve --watch`: follow an index file another process rebuilds (`jiansuo index -o`,
 * a nightly job). The directory is watched, not the file: an atomic save renames a new file over
 * the old one, and a watch on the old file would see nothing more. A change is acted on once the
 * file has been quiet for `settleMs`, and only if the file really differs (device, inode, size,
 * mtime) from the one loaded. A file that fails to load is logged and the old index keeps serving.
 */
import { watch, type FSWatcher } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'
import { SearchEngine } from '../engine.js'
import type { SearchEngineOptions } from '../options.js'

export interface IndexWatch {
  /** Stop watching; a reload in progress finishes and is dropped. */
  close(): void
}

export interface WatchOptions {
  /** Quiet time after the last change event before the file is loaded (default 250 ms). */
  settleMs?: number
  log: (line: string) => void
  /** Engine options the new file is loaded with (e.g. `query`; default none). */
  engineOptions?: SearchEngineOptions
}

/** What identifies one version of a file: a rename over it changes the inode, a rewrite the size or mtime. */
async function identity(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path)
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`
  } catch {
    return undefined
  }
}

/**
 * Call `replace` with each new version of the index at `path`, loaded and warmed. Resolves once
 * the watch is set up, with the identity of the file as it is now taken as the one being served.
 */
export async function watchIndexFile(path: string, replace: (engine: SearchEngine) => void, options: WatchOptions): Promise<IndexWatch> {
  const file = resolve(path)
  const name = basename(file)
  const settleMs = options.settleMs ?? 250
  let served = await identity(file)
  let timer: NodeJS.Timeout | undefined
  let loading = false
  let again = false
  let closed = false

  const reload = async (): Promise<void> => {
    if (loading) {
      // A change during a load: look again once it is done.
      again = true
      return
    }
    loading = true
    try {
      do {
        again = false
        const now = await identity(file)
        if (now === undefined || now === served) continue
        const started = performance.now()
        try {
          const engine = await SearchEngine.load(file, { ...options.engineOptions, warm: true })
          if (closed) return
          replace(engine)
          served = now
          options.log(`jiansuo: ${path} changed; now serving ${engine.size} documents (loaded in ${Math.round(performance.now() - started)} ms)`)
        } catch (err) {
          // Remembered, so the same bad file is not retried on every event; a new version is.
          served = now
          const code = (err as { code?: unknown }).code
          options.log(`jiansuo: ${path} changed but cannot be loaded (${typeof code === 'string' ? `${code}: ` : ''}${(err as Error).message}); still serving the previous index`)
        }
      } while (again && !closed)
    } finally {
      loading = false
    }
  }

  const watcher: FSWatcher = watch(dirname(file), (_event, changed) => {
    if (closed || (changed !== null && changed !== name)) return
    clearTimeout(timer)
    timer = setTimeout(() => void reload(), settleMs)
  })
  watcher.on('error', (err) => options.log(`jiansuo: watching ${path} stopped (${err.message})`))
  return {
    close: () => {
      closed = true
      clearTimeout(timer)
      watcher.close()
    },
  }
}
