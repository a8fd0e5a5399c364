/**
 * Reading an index file without trusting what the path names: only a regular file is read (a
 * FIFO would block forever, /dev/zero never ends), its size is checked before any allocation, and
 * its first bytes must be the magic before the rest is read (a 2 GB video is refused after 4 bytes).
 */
import { promises as fs, constants as fsConstants } from 'node:fs'
import { JiansuoError, describeValue } from '../errors.js'
import { MAGIC } from './index-file.js'

/** Larger files are refused: a Uint8Array of the whole file must fit (and 4 GiB is far past any index here). */
export const MAX_INDEX_FILE_BYTES = 4 * 1024 ** 3 - 1

export async function readIndexFile(path: string): Promise<Uint8Array> {
  let handle: fs.FileHandle
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    handle = await fs.open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new JiansuoError('IO_ERROR', `Cannot read index file ${describeValue(path)} (${code ?? String(err)}); check the path.`, { cause: err })
  }
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) {
      const kind = stat.isDirectory() ? 'a directory' : stat.isFIFO() ? 'a FIFO' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : stat.isSocket() ? 'a socket' : 'not a regular file'
      throw new JiansuoError('IO_ERROR', `Index file ${describeValue(path)} is ${kind}; pass a file written by engine.save().`)
    }
    if (stat.size > MAX_INDEX_FILE_BYTES) {
      throw new JiansuoError('IO_ERROR', `Index file ${describeValue(path)} has ${stat.size} bytes, more than the ${MAX_INDEX_FILE_BYTES} this version reads; it is not a jiansuo index.`)
    }
    const head = new Uint8Array(Math.min(MAGIC.length, stat.size))
    await readFully(handle, head, 0)
    if (head.some((b, i) => b !== MAGIC[i])) {
      throw new JiansuoError('NOT_AN_INDEX', `File ${describeValue(path)} does not start with the jiansuo magic bytes "JSUO"; pass a file written by engine.save().`)
    }
    const bytes = new Uint8Array(stat.size)
    const got = await readFully(handle, bytes, 0)
    // A file that shrank while being read is a truncated file: let the decoder say so.
    return got === bytes.length ? bytes : bytes.subarray(0, got)
  } catch (err) {
    if (err instanceof JiansuoError) throw err
    const code = (err as NodeJS.ErrnoException).code
    throw new JiansuoError('IO_ERROR', `Cannot read index file ${describeValue(path)} (${code ?? String(err)}); check the path.`, { cause: err })
  } finally {
    await handle.close().catch(() => {})
  }
}

async function readFully(handle: fs.FileHandle, into: Uint8Array, position: number): Promise<number> {
  let done = 0
  while (done < into.length) {
    const { bytesRead } = await handle.read(into, done, into.length - done, position + done)
    if (bytesRead === 0) break
    done += bytesRead
  }
  return done
}
