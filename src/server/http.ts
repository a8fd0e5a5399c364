/**
 * jiansuo as an HTTP service, on `node:http` (no framework: eight routes and a body limit do not
 * earn one). `createServer(engine, options)` wraps an engine; `jiansuo serve` is this over a
 * loaded index file.
 *
 *   GET    /search?q=&limit=&offset=&filter=&sort=&facets=&fields=&explain=&strict=   engine.search()'s JSON
 *   GET    /doc/:id       the stored document          GET /health   status, counts, version
 *   GET    /schema        text and typed fields        GET /         the search page
 *   PUT    /doc/:id       add or replace (JSON body)   DELETE /doc/:id   remove
 *   POST   /docs          JSON Lines body, all or nothing
 *
 * Writes need `Authorization: Bearer <token>` and exist only when a token was given (401 without
 * the right one, 403 on a read-only server). Writes run one at a time, in arrival order (a bulk
 * load and a PUT never interleave); reads are never queued behind them. Every error is JSON
 * `{ error: { code, message } }`: a `JiansuoError` code (400, NOT_FOUND 404) or an HTTP-level one
 * (UNAUTHORIZED, READ_ONLY, PAYLOAD_TOO_LARGE, NOT_FOUND, METHOD_NOT_ALLOWED, UNAVAILABLE,
 * INTERNAL). No request can take the process down: whatever a handler throws becomes a response.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHash, timingSafeEqual } from 'node:crypto'
import { SearchEngine, VERSION } from '../engine.js'
import type { Document, DocumentShape } from '../document.js'
import { JiansuoError, describeValue } from '../errors.js'
import { filePath, optionalBoolean, optionalFunction, optionsObject, wholeNumber } from '../arguments.js'
import { parseJsonl } from '../ingest/jsonl.js'
import { searchRequest } from './search-params.js'
import { SaveScheduler } from './saves.js'
import { HttpError, JSON_HEADERS, parseJson, readBody, send, sendBytes, sendError, sendJson } from './exchange.js'
import { ResponseCache } from './response-cache.js'
import { PAGE_HEADERS, SEARCH_PAGE } from './page.js'

export interface ServerOptions {
  /**
   * The bearer token that enables writes (`PUT`/`DELETE /doc/:id`, `POST /docs`); visible ASCII,
   * no spaces. Default none: the server is read-only and writes get 403.
   */
  token?: string
  /** Save the index to this file after writes (atomic, coalesced; see `saveDelayMs`). Default none: writes stay in memory. */
  savePath?: string
  /** Milliseconds from the first unsaved write to the save that includes it (default 1000). */
  saveDelayMs?: number
  /** Largest request body accepted, in bytes (default 10 MiB); a larger one is 413. */
  maxBodyBytes?: number
  /** How long `close()` waits for requests in flight before cutting their connections (default 30,000 ms). */
  closeTimeoutMs?: number
  /** Where log lines go (default: stderr). */
  log?: (line: string) => void
  /** No line per request (default false); errors and failed saves are still logged. */
  quiet?: boolean
  /**
   * `/search` answers kept for repeated requests (default 1,000; 0 keeps none), at most 32 MiB in
   * all, until the engine changes: response-cache.ts. A kept answer has the header
   * `x-jiansuo-cache: hit` and the `took` of the search that made it.
   */
  cacheEntries?: number
}

export interface ServerAddress {
  host: string
  port: number
  /** `http://host:port`, IPv6 hosts in brackets. */
  url: string
}

export interface JiansuoServer<Doc extends DocumentShape = Document> {
  /** The underlying server, e.g. to listen on a socket path yourself. */
  readonly server: http.Server
  /** Listen on `port` (default 8080; 0 picks a free one) and `host` (default 127.0.0.1); resolves with the real address. */
  listen(port?: number, host?: string): Promise<ServerAddress>
  /** Save now if a write is not saved yet (no-op without `savePath`). */
  flush(): Promise<void>
  /**
   * Serve `engine` from now on (a rebuilt index; `jiansuo serve --watch` calls this): each request
   * is answered by the engine current when it is handled, later writes go to the new one. Writes
   * made to the old engine are not carried over.
   */
  replaceEngine(engine: SearchEngine<Doc>): void
  /**
   * Stop accepting connections, let requests in flight finish (and queued writes apply), then run
   * a pending save at once. Resolves when the last connection is closed; rejects if that save
   * fails. Calling it again returns the same promise.
   */
  close(): Promise<void>
}

const SERVER_OPTIONS = ['token', 'savePath', 'saveDelayMs', 'maxBodyBytes', 'closeTimeoutMs', 'log', 'quiet', 'cacheEntries'] as const
const MiB = 1024 * 1024
const ROUTES_HELP = 'GET /search?q=, GET /suggest?q=, GET /doc/:id, GET /health, GET /schema, GET /, PUT /doc/:id, DELETE /doc/:id, POST /docs'

/**
 * Wrap `engine` in an HTTP server (not listening yet: call `listen`). Warm the engine first
 * (`SearchEngine.load(path, { warm: true })` or `engine.warm()`), or the first search pays for
 * loading the dictionary.
 */
export function createServer<Doc extends DocumentShape = Document>(engine: SearchEngine<Doc>, options: ServerOptions = {}): JiansuoServer<Doc> {
  if (!(engine instanceof SearchEngine)) {
    throw new JiansuoError('INVALID_OPTION', `createServer() takes a SearchEngine, got ${describeValue(engine)}.`)
  }
  return new Service(engine, resolveServerOptions(options)).api
}

interface Resolved {
  token?: string
  savePath?: string
  saveDelayMs: number
  maxBodyBytes: number
  closeTimeoutMs: number
  log: (line: string) => void
  quiet: boolean
  cacheEntries: number
}

function resolveServerOptions(options: ServerOptions): Resolved {
  const o = optionsObject('createServer()', options, SERVER_OPTIONS)
  const what = (name: string) => `Option ${name} of createServer()`
  if (o.token !== undefined && (typeof o.token !== 'string' || !/^[\x21-\x7e]+$/.test(o.token))) {
    throw new JiansuoError('INVALID_OPTION', `${what('token')} is ${typeof o.token === 'string' ? 'a string with spaces or non-ASCII characters (or empty)' : describeValue(o.token)}; expected a non-empty string of visible ASCII characters (it is sent as "Authorization: Bearer <token>").`)
  }
  return {
    ...(o.token !== undefined ? { token: o.token } : {}),
    ...(o.savePath !== undefined ? { savePath: filePath('createServer() (savePath)', o.savePath) } : {}),
    saveDelayMs: wholeNumber(what('saveDelayMs'), o.saveDelayMs, 1000, 0, 3_600_000),
    maxBodyBytes: wholeNumber(what('maxBodyBytes'), o.maxBodyBytes, 10 * MiB, 1, 1024 * MiB),
    closeTimeoutMs: wholeNumber(what('closeTimeoutMs'), o.closeTimeoutMs, 30_000, 0, 3_600_000),
    log: optionalFunction<(line: string) => void>(what('log'), o.log) ?? ((line) => process.stderr.write(`${line}\n`)),
    quiet: optionalBoolean(what('quiet'), o.quiet) ?? false,
    cacheEntries: wholeNumber(what('cacheEntries'), o.cacheEntries, 1000, 0, 1_000_000),
  }
}


type Handler = (req: http.IncomingMessage, res: http.ServerResponse, params: URLSearchParams, id: string) => void | Promise<void>

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest()

class Service<Doc extends DocumentShape> {
  readonly server: http.Server
  readonly api: JiansuoServer<Doc>
  private readonly saver: SaveScheduler | undefined
  /** sha256 of the token: compared in constant time, whatever the length sent. */
  private readonly tokenDigest: Buffer | undefined
  /** The chain of writes, one at a time; never rejects. */
  private writes: Promise<unknown> = Promise.resolve()
  private inFlight = 0
  private onIdle: (() => void) | undefined
  private closing = false
  private closed: Promise<void> | undefined
  private readonly answers: ResponseCache

  constructor(
    private engine: SearchEngine<Doc>,
    private readonly options: Resolved,
  ) {
    const { savePath, token } = options
    this.tokenDigest = token === undefined ? undefined : digest(token)
    this.answers = new ResponseCache(options.cacheEntries)
    this.saver = savePath === undefined
      ? undefined
      : new SaveScheduler(() => this.engine.save(savePath), options.saveDelayMs, (err) => {
          options.log(`jiansuo: saving ${savePath} failed (${(err as Error)?.message ?? String(err)}); the writes are kept in memory and the next save tries again`)
        })
    this.server = http.createServer((req, res) => this.handle(req, res))
    // Requests node:http cannot parse (raw non-ASCII in the path, oversized headers) never reach
    // a handler; answer them in the same JSON form instead of Node's bare 400.
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy()
      const [status, reason] = err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : [400, 'Bad Request']
      const body = JSON.stringify({ error: { code: 'BAD_REQUEST', message: `The request could not be parsed (${err.code ?? err.message}); percent-encode the path and query (encodeURIComponent).` } })
      socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`)
    })
    this.api = {
      server: this.server,
      listen: (port, host) => this.listen(port, host),
      flush: async () => this.saver?.flush(),
      replaceEngine: (next) => {
        if (!(next instanceof SearchEngine)) throw new JiansuoError('INVALID_OPTION', `replaceEngine() takes a SearchEngine, got ${describeValue(next)}.`)
        this.engine = next
      },
      close: () => (this.closed ??= this.shutdown()),
    }
  }

  private async listen(port = 8080, host = '127.0.0.1'): Promise<ServerAddress> {
    wholeNumber('The port given to listen()', port, 8080, 0, 65_535)
    if (typeof host !== 'string' || !host) throw new JiansuoError('INVALID_OPTION', `The host given to listen() is ${describeValue(host)}; expected a host name or address, e.g. 127.0.0.1.`)
    return await new Promise((resolve, reject) => {
      const failed = (err: NodeJS.ErrnoException) => {
        reject(new JiansuoError('IO_ERROR', `Cannot listen on ${host}:${port} (${err.code ?? err.message}); choose another port (0 picks a free one) or host.`, { cause: err }))
      }
      this.server.once('error', failed)
      this.server.listen(port, host, () => {
        this.server.off('error', failed)
        const address = this.server.address() as AddressInfo
        const shown = address.address.includes(':') ? `[${address.address}]` : address.address
        resolve({ host: address.address, port: address.port, url: `http://${shown}:${address.port}` })
      })
    })
  }

  private async shutdown(): Promise<void> {
    this.closing = true
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()))
    this.server.closeIdleConnections()
    // Requests in flight finish (their responses say "connection: close"); past the timeout their
    // connections are cut, but writes they already started still apply and are saved below.
    const cut = setTimeout(() => this.server.closeAllConnections(), this.options.closeTimeoutMs)
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.onIdle = resolve))
    clearTimeout(cut)
    await this.writes
    try {
      await this.saver?.flush()
    } finally {
      this.server.closeAllConnections()
      await stopped
    }
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const started = performance.now()
    this.inFlight++
    res.once('close', () => {
      if (!this.options.quiet) {
        const ms = (performance.now() - started).toFixed(1)
        const status = res.writableFinished ? String(res.statusCode) : 'aborted'
        const path = (req.url ?? '').length > 300 ? `${req.url!.slice(0, 300)}…` : req.url
        this.options.log(`${new Date().toISOString()} ${req.method} ${path} ${status} ${ms}ms`)
      }
      if (--this.inFlight === 0) this.onIdle?.()
    })
    this.route(req, res).catch((err: unknown) => {
      try {
        sendError(req, res, err, this.options.log, this.closing)
      } catch {
        res.destroy()
      }
    })
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (this.closing) throw new HttpError(503, 'UNAVAILABLE', 'The server is shutting down; try again on a running one.', { 'retry-after': '1' })
    const url = req.url ?? '/'
    if (!url.startsWith('/')) throw new HttpError(400, 'BAD_REQUEST', `The request target ${describeValue(url)} is not a path.`)
    const queryAt = url.indexOf('?')
    // The raw path, not WHATWG-normalized: an id may contain "..", "%2F" or anything else encoded.
    const path = queryAt < 0 ? url : url.slice(0, queryAt)
    const params = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1))
    const { methods, id } = this.match(path)
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET')
    const handler = methods[method]
    if (!handler) {
      const allowed = Object.keys(methods).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]))
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}; it takes ${allowed.join(', ')}.`, { allow: allowed.join(', ') })
    }
    await handler(req, res, params, id)
  }

  private match(path: string): { methods: Partial<Record<string, Handler>>; id: string } {
    switch (path) {
      case '/':
        return { methods: { GET: (_req, res) => this.send(res, 200, SEARCH_PAGE, PAGE_HEADERS) }, id: '' }
      case '/search':
        return { methods: { GET: (_req, res, params) => this.search(res, params) }, id: '' }
      case '/suggest':
        return { methods: { GET: (_req, res, params) => this.suggest(res, params) }, id: '' }
      case '/health':
        return { methods: { GET: (_req, res) => this.json(res, 200, { status: 'ok', documents: this.engine.size, terms: this.engine.termCount, version: VERSION }) }, id: '' }
      case '/schema':
        return { methods: { GET: (_req, res) => this.json(res, 200, this.schema()) }, id: '' }
      case '/docs':
        return { methods: { POST: (req, res) => this.addDocuments(req, res) }, id: '' }
    }
    if (path.startsWith('/doc/') && path.length > '/doc/'.length) {
      let id: string
      try {
        id = decodeURIComponent(path.slice('/doc/'.length))
      } catch {
        throw new HttpError(400, 'BAD_REQUEST', `The document id in ${describeValue(path)} is not valid percent-encoding; encode it with encodeURIComponent.`)
      }
      return {
        methods: {
          GET: (_req, res, _params, docId) => this.getDocument(res, docId),
          PUT: (req, res, _params, docId) => this.putDocument(req, res, docId),
          DELETE: (req, res, _params, docId) => this.deleteDocument(req, res, docId),
        },
        id,
      }
    }
    throw new HttpError(404, 'NOT_FOUND', `No route ${describeValue(path)}; the routes are ${ROUTES_HELP}.`)
  }

  private search(res: http.ServerResponse, params: URLSearchParams): void {
    const { query, options } = searchRequest(params)
    // The request as parsed: parameter order and spelling (limit=010) do not make another entry.
    const key = JSON.stringify([query, options])
    const kept = this.answers.get(this.engine, key)
    if (kept) return sendBytes(res, this.closing, 200, kept, { ...JSON_HEADERS, 'x-jiansuo-cache': 'hit' })
    const body = Buffer.from(JSON.stringify(this.engine.search(query, options)), 'utf8')
    this.answers.set(this.engine, key, body)
    sendBytes(res, this.closing, 200, body, { ...JSON_HEADERS, 'x-jiansuo-cache': 'miss' })
  }

  /** `engine.suggest(q, { limit })` as `{ suggestions }`; `limit` must be a whole number in text. */
  private suggest(res: http.ServerResponse, params: URLSearchParams): void {
    const limit = params.get('limit')
    const options = limit === null ? {} : { limit: /^\d+$/.test(limit) ? Number(limit) : (limit as unknown as number) }
    this.json(res, 200, { suggestions: this.engine.suggest(params.get('q') ?? '', options) })
  }

  private schema() {
    return { fields: this.engine.options.fields, columns: this.engine.options.columns, writable: this.tokenDigest !== undefined }
  }

  private getDocument(res: http.ServerResponse, id: string): void {
    const doc = this.engine.get(id)
    if (doc === undefined) throw notIndexed(id)
    this.json(res, 200, doc)
  }

  private async putDocument(req: http.IncomingMessage, res: http.ServerResponse, id: string): Promise<void> {
    this.authorize(req)
    const value = parseJson(await readBody(req, this.options.maxBodyBytes))
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new JiansuoError('INVALID_DOCUMENT', `PUT /doc/:id takes the document as a JSON object, got ${describeValue(value)}.`)
    }
    const doc = value as Record<string, unknown>
    if (doc.id === undefined) doc.id = id
    else if (doc.id !== id) {
      throw new JiansuoError('INVALID_DOCUMENT', `The document's id ${describeValue(doc.id)} differs from the id in the URL (${describeValue(id)}); leave id out of the body or make them equal.`)
    }
    const created = await this.write(() => {
      const existed = this.engine.has(id)
      this.engine.add(doc as unknown as Doc, { upsert: true })
      return !existed
    })
    this.json(res, 200, { id, created })
  }

  private async deleteDocument(req: http.IncomingMessage, res: http.ServerResponse, id: string): Promise<void> {
    this.authorize(req)
    const removed = await this.write(() => this.engine.remove(id))
    if (!removed) throw notIndexed(id)
    this.json(res, 200, { id, deleted: true })
  }

  /** JSON Lines, one document per line (`text` is read as `body`, as `jiansuo index` does); one bad line or document adds nothing. */
  private async addDocuments(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.authorize(req)
    const { documents, lines, errors } = parseJsonl(await readBody(req, this.options.maxBodyBytes))
    const bad = errors[0]
    if (bad) {
      throw new JiansuoError('INVALID_INPUT', `Line ${bad.line} of the body: ${bad.message}; nothing was added (fix the line and send the batch again).`, { details: { line: bad.line } })
    }
    if (documents.length === 0) return this.json(res, 200, { added: 0 })
    // Analysis on worker threads only, so this thread keeps answering searches meanwhile; it
    // needs a named segmenter (workers build their own).
    const parallel = typeof this.engine.options.analyzer.segmenter === 'string'
    const docs = documents as unknown as Doc[]
    let added: number
    try {
      added = await this.write(() => (parallel ? this.engine.addAllParallel(docs, { upsert: true, background: true }) : this.engine.addAll(docs, { upsert: true })))
    } catch (err) {
      const index = err instanceof JiansuoError ? err.details?.index : undefined
      const line = typeof index === 'number' ? lines[index] : undefined
      if (err instanceof JiansuoError && line !== undefined) {
        throw new JiansuoError(err.code, `Line ${line} of the body: ${err.message} Nothing was added.`, { cause: err, details: { ...err.details, line } })
      }
      throw err
    }
    this.json(res, 200, { added })
  }

  /** Run a write after the earlier ones; a successful one schedules a save. */
  private write<T>(apply: () => T | Promise<T>): Promise<T> {
    const run = this.writes.then(async () => {
      const result = await apply()
      this.saver?.changed()
      return result
    })
    this.writes = run.catch(() => undefined)
    return run
  }

  /** Responses while stopping say "connection: close" (exchange.ts writes them). */
  private json(res: http.ServerResponse, status: number, value: unknown): void {
    sendJson(res, this.closing, status, value)
  }

  private send(res: http.ServerResponse, status: number, body: string, headers: Readonly<Record<string, string>>): void {
    send(res, this.closing, status, body, headers)
  }

  private authorize(req: http.IncomingMessage): void {
    if (this.tokenDigest === undefined) {
      throw new HttpError(403, 'READ_ONLY', 'This server is read-only: it was started without a token. Start it with --token (or JIANSUO_TOKEN), or createServer(engine, { token }), to allow writes.')
    }
    const sent = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '')?.[1]
    if (sent === undefined || !timingSafeEqual(digest(sent), this.tokenDigest)) {
      throw new HttpError(401, 'UNAUTHORIZED', `Writes need the header "Authorization: Bearer <token>" with the server's token${sent === undefined ? '' : '; the token sent is not it'}.`, { 'www-authenticate': 'Bearer' })
    }
  }




}

function notIndexed(id: string): JiansuoError {
  return new JiansuoError('NOT_FOUND', `No document with id ${describeValue(id)} is indexed.`)
}


