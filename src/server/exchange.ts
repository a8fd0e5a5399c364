/**
 * The HTTP plumbing of the service (http.ts): request bodies read within a limit, responses
 * written once encoded, and every failure turned into the JSON error form
 * `{ error: { code, message, details? } }` with its status.
 */
import type http from 'node:http'
import { JiansuoError } from '../errors.js'

/** An error answered with an HTTP status and a code outside the engine's catalog. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

/** The body as UTF-8 text, at most `limit` bytes (413 past that, without reading the rest). */
export function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () => new HttpError(413, 'PAYLOAD_TOO_LARGE', `The request body is over the limit of ${limit} bytes; send fewer documents per request.`)
  if (Number(req.headers['content-length']) > limit) return Promise.reject(tooLarge())
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) return void chunks.push(chunk)
      req.off('data', onData)
      chunks.length = 0
      reject(tooLarge())
    }
    req.on('data', onData)
    req.once('end', () => {
      if (size > limit) return
      try {
        resolve(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)))
      } catch {
        reject(new JiansuoError('INVALID_INPUT', 'The request body is not valid UTF-8; send JSON as UTF-8 text.'))
      }
    })
    req.once('error', reject)
  })
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new JiansuoError('INVALID_INPUT', `The request body is not JSON (${(err as Error).message}).`)
  }
}

/** Answer `err` in the JSON error form; what is not a known error is logged and answered 500 INTERNAL. */
export function sendError(req: http.IncomingMessage, res: http.ServerResponse, err: unknown, log: (line: string) => void, closing: boolean): void {
  if (res.headersSent || res.destroyed) {
    res.destroy()
    return
  }
  let status: number
  let body: { code: string; message: string; details?: Record<string, unknown> }
  let headers: Record<string, string> = {}
  if (err instanceof HttpError) {
    status = err.status
    body = { code: err.code, message: err.message }
    headers = err.headers
  } else if (err instanceof JiansuoError) {
    // The caller's mistakes are 400; a missing document 404; a damaged index or file is the server's.
    status = err.code === 'NOT_FOUND' ? 404 : err.code === 'INDEX_CORRUPT' || err.code === 'IO_ERROR' ? 500 : 400
    body = { code: err.code, message: err.message, ...(err.details ? { details: jsonSafe(err.details) } : {}) }
  } else {
    log(`jiansuo: internal error on ${req.method} ${req.url}: ${(err as Error)?.stack ?? String(err)}`)
    status = 500
    body = { code: 'INTERNAL', message: 'Internal error; the server log has the details.' }
  }
  if (!req.complete) {
    // An unread body (refused before or while reading): drop it and the connection with it,
    // instead of parsing what is left as the next request.
    headers = { ...headers, connection: 'close' }
    req.resume()
  }
  sendJson(res, closing, status, { error: body }, headers)
}

/** The headers of every JSON answer. */
export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const

export function sendJson(res: http.ServerResponse, closing: boolean, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, closing, status, JSON.stringify(value), { ...JSON_HEADERS, ...headers })
}

/** Write a whole response; `closing` (the server is stopping) asks the client to close the connection. */
export function send(res: http.ServerResponse, closing: boolean, status: number, body: string, headers: Readonly<Record<string, string>>): void {
  // Encoded once: Buffer.byteLength and then res.end(string) would encode a 40 KB page twice.
  sendBytes(res, closing, status, Buffer.from(body, 'utf8'), headers)
}

/** `send` of a body already encoded (UTF-8). */
export function sendBytes(res: http.ServerResponse, closing: boolean, status: number, bytes: Buffer, headers: Readonly<Record<string, string>>): void {
  res.statusCode = status
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  res.setHeader('content-length', bytes.length)
  if (closing) res.setHeader('connection', 'close')
  res.end(bytes)
}

/** Error details as they survive JSON (a cause object or a BigInt must not break the error response). */
function jsonSafe(details: Record<string, unknown>): Record<string, unknown> | undefined {
  try {
    return JSON.parse(JSON.stringify(details)) as Record<string, unknown>
  } catch {
    return undefined
  }
}
