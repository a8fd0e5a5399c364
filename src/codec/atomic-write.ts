/**
 * Atomic file replacement: a crash or a full disk mid-save leaves the previous file intact.
 */
import { promises as fs, constants as fsConstants } from 'node:fs'
import { dirname, basename, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { JiansuoError, describeValue } from '../errors.js'

/** Write to a temporary sibling, fsync it, rename over the target, fsync the folder. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path)
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  let handle: fs.FileHandle | undefined
  try {
    handle = await fs.open(tmp, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, 0o644)
    await handle.writeFile(bytes)
    await handle.sync()
    await handle.close()
    handle = undefined
    await fs.rename(tmp, path)
  } catch (err) {
    await handle?.close().catch(() => {})
    await fs.rm(tmp, { force: true }).catch(() => {})
    const code = (err as NodeJS.ErrnoException).code
    throw new JiansuoError('IO_ERROR', `Cannot write index file ${describeValue(path)} (${code ?? String(err)}); check that the folder exists, is writable and has space. The previous file, if any, is unchanged.`, { cause: err })
  }
  try {
    const dirHandle = await fs.open(dir, 'r')
    await dirHandle.sync().catch(() => {})
    await dirHandle.close()
  } catch {
    // Folder fsync is best effort (not supported everywhere); the rename itself is atomic.
  }
}
