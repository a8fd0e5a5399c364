/**
 * Atomic file replacement: a crash or a full disk mid-save leaves the previous file intact.
 */
import { promises as fs, constants as fsConstants } from 'node:fs'
import { dirname, basename, join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { JiansuoError, describeValue } from '../errors.js'

/** Temporary files of saves in flight in this process (never cleaned as stale). */
const inFlight = new Set<string>()

/**
 * Write to a temporary sibling, fsync it, rename over the target, fsync the folder. A symlink is
 * written through: its target is replaced and the link stays. Temporary files left by a killed
 * save of the same file (its process gone) are removed first.
 */
export async function writeFileAtomic(requested: string, bytes: Uint8Array): Promise<void> {
  const path = await linkTarget(requested)
  const dir = dirname(path)
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  let handle: fs.FileHandle | undefined
  await removeStaleTemps(dir, basename(path))
  inFlight.add(tmp)
  try {
    handle = await fs.open(tmp, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, 0o644)
    await handle.writeFile(bytes)
    await handle.sync()
    await handle.close()
    handle = undefined
    await fs.rename(tmp, path)
    inFlight.delete(tmp)
  } catch (err) {
    inFlight.delete(tmp)
    await handle?.close().catch(() => {})
    await fs.rm(tmp, { force: true }).catch(() => {})
    const code = (err as NodeJS.ErrnoException).code
    throw new JiansuoError('IO_ERROR', `Cannot write index file ${describeValue(requested)} (${code ?? String(err)}); check that the folder exists, is writable and has space. The previous file, if any, is unchanged.`, { cause: err })
  }
  try {
    const dirHandle = await fs.open(dir, 'r')
    await dirHandle.sync().catch(() => {})
    await dirHandle.close()
  } catch {
    // Folder fsync is best effort (not supported everywhere); the rename itself is atomic.
  }
}

/** The file a path finally names, following symlinks (the path itself when it does not exist yet). */
async function linkTarget(path: string): Promise<string> {
  try {
    return await fs.realpath(path)
  } catch {
    // Missing (or a dangling link): write the path as given; a dangling link is replaced.
    return resolve(path)
  }
}

/** `.<name>.<pid>.<8 hex>.tmp` files whose process no longer runs: leftovers of a killed save. */
async function removeStaleTemps(dir: string, name: string): Promise<void> {
  let entries: string[]
  try {
    entries = await fs.readdir(dir)
  } catch {
    return
  }
  const prefix = `.${name}.`
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue
    const match = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(entry.slice(prefix.length))
    if (!match) continue
    const full = join(dir, entry)
    const pid = Number(match[1])
    if (inFlight.has(full) || (pid !== process.pid && processRuns(pid))) continue
    await fs.rm(full, { force: true }).catch(() => {})
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
