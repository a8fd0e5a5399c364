#!/usr/bin/env node
/**
 * The `jiansuo` command — a contract other tools rely on:
 *
 *   jiansuo index <file…> -o <index-file> [--upsert] [--date D] [--field name:type]…   .txt (newspaper format) and .jsonl inputs
 *   jiansuo search <index-file> [query] [--limit N] [--offset N] [--filter EXPR]… [--sort SPEC] [--facets LIST] [--pinyin] [--synonyms FILE] [--json]
 *   jiansuo serve <index-file> [--port 8080] [--host 127.0.0.1] [--token T | --watch] [--pinyin] [--synonyms FILE] [--cache N] [--quiet]   HTTP service and search page
 *   jiansuo help [command] · jiansuo <command> --help · jiansuo --version
 *
 * `--json` prints exactly the object `engine.search()` returns. Errors print one line on stderr
 * and exit non-zero (1 for a failed operation, 2 for wrong usage, with a pointer to the help).
 */
import { readFileSync, realpathSync, statSync } from 'node:fs'
import { basename, extname, resolve } from 'node:path'
import { SearchEngine, VERSION, type Document, type SearchOptions } from '../engine.js'
import type { QueryOptions, SearchEngineOptions } from '../options.js'
import type { ColumnSpec } from '../index/columns.js'
import { syntaxCondition, type Filter } from '../query/filter.js'
import { JiansuoError } from '../errors.js'
import { parseNewspaper } from '../ingest/newspaper.js'
import { readJsonl } from '../ingest/jsonl.js'
import { formatHits } from './format.js'
import { createServer } from '../server/http.js'
import { watchIndexFile } from '../server/watch.js'
import { nodeRsJiebaSegmenter } from '../analysis/node-rs-jieba.js'
import type { SegmenterName } from '../analysis/segmenter.js'

const COMMANDS = {
  index: {
    usage: 'jiansuo index <file.txt|file.jsonl>… -o <index-file> [--upsert] [--date YYYY-MM-DD] [--field name:type]… [--segmenter S]',
    help: `Build an index file from newspaper-format .txt files and JSON Lines (.jsonl) files.

  -o, --output <file>   where to write the index (never one of the inputs)
  --upsert              a document whose id was seen before replaces it (default: an error
                        naming both places)
  --date YYYY-MM-DD     the issue date, put on every article of the .txt inputs (kept with
                        hits; JSONL documents keep their own date property); makes date a
                        typed date field
  --field name:type     a typed field for filters, sort and facets: date, keyword or number
                        (repeatable), e.g. --field date:date --field column:keyword
  --segmenter S         node-rs-jieba (the default when @node-rs/jieba is installed: its
                        dictionary loads in 0.2 s, so every later search and serve starts
                        10× sooner) or nodejieba (the library's default). The file records
                        it; search and serve use the one the file names

Segments on worker threads, shows progress on a terminal, prints a one-line summary.`,
  },
  search: {
    usage: 'jiansuo search <index-file> <query> [--limit N] [--offset N] [--filter EXPR]… [--sort SPEC] [--facets LIST] [--pinyin] [--synonyms FILE] [--json]',
    help: `Search an index file; the words after the file are the query (quotes, OR, -word, field:,
and filters on typed fields such as date:2024-03). The query may be left out with --filter,
--sort or --facets: then every document that passes is listed.

  --limit N, -n N   results per page (default 10)
  --offset N        results to skip (default 0)
  --filter EXPR     only documents whose typed field passes (repeatable, all must hold):
                    date>=2024-01-01, date<2025, date=2024-03, date=2024-01..2024-03,
                    column=要闻, views>100
  --sort SPEC       hit order, comma-separated levels: date:desc,_score (default _score)
  --facets LIST     counts per typed field over all matches, comma-separated: column
                    (top 10), column:20 (top 20), date (per year), date:month, date:day
  --pinyin          pinyin queries (leifeng, lf) and homophone corrections (query.pinyin)
  --synonyms FILE   synonym rules in Solr's format, one per line (query.synonyms)
  --json            print exactly the object engine.search() returns`,
  },
  serve: {
    usage: 'jiansuo serve <index-file> [--port 8080] [--host 127.0.0.1] [--token T | --watch] [--pinyin] [--synonyms FILE] [--cache N] [--quiet]',
    help: `Serve an index file over HTTP: the search page at /, GET /search (the object
engine.search() returns), GET /suggest?q= (engine.suggest()), GET /doc/:id, GET /health and
GET /schema.

  --port N      port to listen on (default 8080; 0 picks a free one, printed at start)
  --host H      address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --token T     allow writes (PUT /doc/:id, DELETE /doc/:id, POST /docs with JSON Lines)
                from requests with "Authorization: Bearer T"; default: the JIANSUO_TOKEN
                environment variable (which other users cannot see in ps), else read-only
  --watch       reload the index file when another process replaces it (e.g. jiansuo
                index -o with the same file): searches switch to the new index once it is
                loaded; a file that cannot be loaded is logged and the old one kept.
                Read-only: not with --token
  --quiet       no line per request on stderr
  --cache N     keep the answers of N distinct /search requests until the index changes
                (default 1000; 0 keeps none); a kept one has "x-jiansuo-cache: hit"
  --pinyin      pinyin queries, homophone corrections and pinyin suggestions (query.pinyin)
  --synonyms F  synonym rules in Solr's format from file F, one per line (query.synonyms)

Writes are saved back to the index file, atomically, about a second after the first unsaved
one. SIGTERM or SIGINT (Ctrl-C) stops accepting connections, lets requests in flight finish,
saves and exits 0; a second signal exits at once (1) without saving.`,
  },
} as const
type Command = keyof typeof COMMANDS

const USAGE = `Usage:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage}`)
  .join('\n')}
  jiansuo help [command] | jiansuo <command> --help | jiansuo --version`

function isCommand(name: string | undefined): name is Command {
  return name !== undefined && Object.hasOwn(COMMANDS, name)
}

function commandHelp(command: Command): string {
  return `Usage: ${COMMANDS[command].usage}\n\n${COMMANDS[command].help}\n`
}

/** Wrong usage: one line, then a pointer to the help of `command`. */
class UsageError extends Error {
  command?: Command
}

interface Parsed {
  positional: string[]
  flags: Map<string, string | true>
  /** Every value of a repeatable option, in order. */
  lists: Map<string, string[]>
}

function parseArgs(args: string[], valued: string[], repeatable: string[] = []): Parsed {
  const positional: string[] = []
  const flags = new Map<string, string | true>()
  const lists = new Map<string, string[]>()
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--') {
      positional.push(...args.slice(i + 1))
      break
    }
    if (arg.startsWith('-') && arg.length > 1 && !/^-\p{Script=Han}/u.test(arg)) {
      const name = arg.replace(/^--?/, '')
      if (valued.includes(name) || repeatable.includes(name)) {
        const value = args[++i]
        if (value === undefined) throw new UsageError(`Option ${arg} needs a value.`)
        flags.set(name, value)
        if (repeatable.includes(name)) lists.set(name, [...(lists.get(name) ?? []), value])
      } else if (['json', 'help', 'h', 'quiet', 'upsert', 'watch', 'pinyin'].includes(name)) flags.set(name, true)
      else throw new UsageError(`Unknown option ${arg}.`)
    } else positional.push(arg)
  }
  return { positional, flags, lists }
}

function intFlag(flags: Map<string, string | true>, name: string, fallback: number): number {
  const raw = flags.get(name)
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number ≥ 0, got "${String(raw)}".`)
  return n
}

/** Documents read from the inputs, each with where it came from (`file:line`, or file and article id). */
export interface LoadedDocuments {
  documents: Document[]
  origins: string[]
}

export function loadDocuments(files: string[], warn: (message: string) => void, date?: string): LoadedDocuments {
  const documents: Document[] = []
  const origins: string[] = []
  for (const file of files) {
    let isFile = false
    try {
      isFile = statSync(file).isFile()
    } catch {
      throw new JiansuoError('IO_ERROR', `Input file "${file}" does not exist; check the path.`)
    }
    if (!isFile) throw new JiansuoError('IO_ERROR', `Input "${file}" is not a file.`)
    const ext = extname(file).toLowerCase()
    if (ext === '.jsonl' || ext === '.ndjson') {
      const { documents: read, lines, errors } = readJsonl(file)
      for (const e of errors) warn(`${file}:${e.line}: ${e.message}; line skipped`)
      documents.push(...read)
      origins.push(...lines.map((line) => `${file}:${line}`))
    } else if (ext === '.txt' || ext === '.md') {
      const prefix = files.length > 1 ? `${basename(file, extname(file))}-a` : 'a'
      const { articles, warnings } = parseNewspaper(readFileSync(file, 'utf8'), date === undefined ? { idPrefix: prefix } : { idPrefix: prefix, date })
      for (const w of warnings) warn(`${file}: ${w}`)
      documents.push(...(articles as unknown as Document[]))
      origins.push(...articles.map((a) => `${file} (article ${a.id})`))
    } else {
      throw new JiansuoError('INVALID_INPUT', `Input "${file}" has extension "${ext}"; use .txt (newspaper format) or .jsonl.`)
    }
  }
  return { documents, origins }
}

/**
 * With `--upsert`, the last document of each id wins (a later export corrects an earlier one);
 * without, a repeated id is an error that names both places.
 */
function resolveRepeatedIds({ documents, origins }: LoadedDocuments, upsert: boolean, warn: (message: string) => void): LoadedDocuments {
  const last = new Map<string, number>()
  documents.forEach((doc, i) => {
    const id = typeof doc?.id === 'string' ? doc.id : undefined
    if (id === undefined) return
    const earlier = last.get(id)
    if (earlier !== undefined && !upsert) {
      throw new JiansuoError('DUPLICATE_ID', `${origins[i]}: id ${JSON.stringify(id)} is already used at ${origins[earlier]}; make ids unique, or pass --upsert to let the later document replace the earlier.`)
    }
    last.set(id, i)
  })
  const keep = documents.map((doc, i) => typeof doc?.id !== 'string' || last.get(doc.id) === i)
  const replaced = keep.filter((k) => !k).length
  if (replaced > 0) warn(`--upsert: ${replaced} document${replaced === 1 ? '' : 's'} replaced by a later one with the same id`)
  return { documents: documents.filter((_, i) => keep[i]), origins: origins.filter((_, i) => keep[i]) }
}

/**
 * Refuse an output that is one of the inputs (same path, `./` spelling, a symlink or a hard link
 * to it): the index would replace the text it was built from. Inputs that do not exist are left
 * to loadDocuments, which reports them.
 */
function checkOutputIsNotInput(inputs: string[], output: string): void {
  const outPath = resolve(output)
  let outReal: string | undefined
  let outStat: { dev: number; ino: number } | undefined
  try {
    outStat = statSync(output)
    outReal = realpathSync(output)
  } catch {
    // No output yet (or a dangling link): only the resolved paths can coincide.
  }
  for (const input of inputs) {
    let same = resolve(input) === outPath
    if (!same && outStat) {
      try {
        const inStat = statSync(input)
        same = realpathSync(input) === outReal || (inStat.dev === outStat.dev && inStat.ino === outStat.ino)
      } catch {
        // missing input: reported by loadDocuments
      }
    }
    if (same) {
      throw new JiansuoError('IO_ERROR', `Output "${output}" is the same file as input "${input}"; writing the index there would destroy the input. Choose another output path with -o (e.g. -o ${basename(input, extname(input))}.jsz).`)
    }
  }
}

async function indexCommand(args: string[]): Promise<void> {
  const { positional, flags, lists } = parseArgs(args, ['o', 'output', 'date', 'segmenter'], ['field'])
  const output = (flags.get('o') ?? flags.get('output')) as string | undefined
  const segmenter = cliSegmenter(flags.get('segmenter') as string | undefined)
  const date = flags.get('date') as string | undefined
  if (positional.length === 0) throw new UsageError('index needs at least one input file.')
  if (!output) throw new UsageError('index needs -o <index-file>.')
  checkOutputIsNotInput(positional, output)
  const started = performance.now()
  const warn = (m: string) => process.stderr.write(`jiansuo: warning: ${m}\n`)
  const { documents: docs, origins } = resolveRepeatedIds(loadDocuments(positional, warn, date), flags.get('upsert') === true, warn)
  const engine = new SearchEngine({ fields: schema(lists.get('field') ?? [], date !== undefined), analyzer: { segmenter } })
  const tty = process.stderr.isTTY
  // Segmentation runs on worker threads (one per core); the index equals a single-threaded build.
  await withOrigin(origins, () => engine.addAllParallel(docs, {
    upsert: false,
    progressEvery: 200,
    onProgress: tty
      ? (done, total) => {
          const width = 30
          const filled = Math.round((done / total) * width)
          process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`)
          if (done === total) process.stderr.write('\n')
        }
      : undefined,
  }))
  await engine.save(output)
  const bytes = statSync(output).size
  const seconds = (performance.now() - started) / 1000
  process.stdout.write(`indexed ${engine.size} documents, ${engine.termCount} terms, ${bytes} bytes in ${seconds.toFixed(2)} s with ${segmenter} → ${output}\n`)
}

/**
 * `--segmenter`, or the CLI's default: node-rs-jieba when it loads (an optional dependency; its
 * dictionary loads in 0.2 s against nodejieba's ~2 s, which every CLI search pays). It cuts 64 %
 * of xwlb articles somewhat differently (percentages whole, other new words) and ranks the eval
 * sets the same (cmrc2018 equal, drcd-dev +0.0002 nDCG@10), so the choice is speed; the library's
 * default stays nodejieba.
 */
function cliSegmenter(flag: string | undefined): SegmenterName {
  if (flag !== undefined) {
    if (flag !== 'nodejieba' && flag !== 'node-rs-jieba') throw new UsageError(`--segmenter takes nodejieba or node-rs-jieba, got "${flag}".`)
    return flag
  }
  try {
    nodeRsJiebaSegmenter().cut('检索')
    return 'node-rs-jieba'
  } catch {
    return 'nodejieba'
  }
}

/** The default text fields plus the typed fields of `--field name:type` (and `date` when `--date` is given). */
function schema(specs: string[], dated: boolean): SearchEngineOptions['fields'] {
  const fields: NonNullable<SearchEngineOptions['fields']> = { title: { boost: 3 }, body: {} }
  if (dated) fields.date = { type: 'date' }
  for (const spec of specs) {
    const m = /^([A-Za-z_][\w.-]*):(date|keyword|number)$/.exec(spec)
    if (!m) throw new UsageError(`--field takes name:type with type date, keyword or number (e.g. --field column:keyword), got "${spec}".`)
    fields[m[1]!] = { type: m[2] as 'date' }
  }
  return fields
}

/** `--filter` expressions (`date>=2024-01-01`, `column=要闻`, `date=2024-01..2024-03`) as one filter. */
function cliFilter(expressions: string[], columns: readonly ColumnSpec[]): Filter | undefined {
  if (expressions.length === 0) return undefined
  const and = expressions.map((expression) => {
    const m = /^([A-Za-z_][\w.-]*)\s*(>=|<=|>|<|=|:)\s*(.+)$/su.exec(expression)
    if (!m) throw new UsageError(`--filter takes field, operator and value, e.g. date>=2024-01-01 or column=要闻; got "${expression}".`)
    const [, name, op, value] = m
    const column = columns.find((c) => c.name === name)
    if (!column) {
      throw new UsageError(`--filter names "${name}", which is not a typed field of this index (${columns.length ? columns.map((c) => c.name).join(', ') : 'it has none; build it with --field name:type'}).`)
    }
    const condition = syntaxCondition(column, op === '=' || op === ':' ? value! : `${op}${value}`)
    if (condition === undefined) throw new UsageError(`--filter "${expression}": "${value}" is not a ${column.type} value.`)
    return { [column.name]: condition } as Filter
  })
  return and.length === 1 ? and[0] : { and }
}

/** `--facets column,column:20,date:month` as the facets option. */
function cliFacets(list: string | undefined, columns: readonly ColumnSpec[]): SearchOptions['facets'] {
  if (list === undefined) return undefined
  const facets: NonNullable<SearchOptions['facets']> = {}
  for (const item of list.split(',').filter(Boolean)) {
    const [name, setting] = item.split(':')
    const column = columns.find((c) => c.name === name)
    if (!column) throw new UsageError(`--facets names "${name}", which is not a typed field of this index (${columns.map((c) => c.name).join(', ') || 'none'}).`)
    if (column.type === 'number') throw new UsageError(`--facets ${name}: number facets need ranges; use the API (facets: { ${name}: { ranges: [...] } }).`)
    if (column.type === 'date') facets[column.name] = setting ? { interval: setting as 'year' } : true
    else facets[column.name] = setting ? { limit: Number(setting) } : true
  }
  return facets
}

/** A document error from the engine, told with the file and line the document came from. */
async function withOrigin(origins: readonly string[], build: () => Promise<unknown>): Promise<void> {
  try {
    await build()
  } catch (err) {
    if (!(err instanceof JiansuoError)) throw err
    const index = err.details?.index
    if (typeof index === 'number' && origins[index]) throw new JiansuoError(err.code, `${origins[index]}: ${err.message}`, { cause: err, details: err.details })
    throw err
  }
}

/** `--pinyin` and `--synonyms FILE` as the engine's `query` options (they are not in the index file). */
function queryOptions(flags: Map<string, string | true>): { query?: QueryOptions } {
  const file = flags.get('synonyms')
  let synonyms: string | undefined
  if (typeof file === 'string') {
    try {
      synonyms = readFileSync(file, 'utf8')
    } catch (err) {
      throw new UsageError(`Cannot read the synonyms file ${file} (${(err as Error).message}).`)
    }
  }
  const query: QueryOptions = { ...(flags.get('pinyin') === true ? { pinyin: true } : {}), ...(synonyms !== undefined ? { synonyms } : {}) }
  return Object.keys(query).length > 0 ? { query } : {}
}

async function searchCommand(args: string[]): Promise<void> {
  const { positional, flags, lists } = parseArgs(args, ['limit', 'offset', 'n', 'sort', 'facets', 'synonyms'], ['filter'])
  const [indexFile, ...queryParts] = positional
  if (!indexFile) throw new UsageError('search needs an index file and a query.')
  const query = queryParts.join(' ')
  const structured = lists.has('filter') || flags.has('sort') || flags.has('facets')
  if (!query.trim() && !structured) throw new UsageError('search needs a query, e.g. jiansuo search news.jsz 雷锋精神 (or --filter, --sort, --facets to list documents)')
  const engine = await SearchEngine.load(indexFile, queryOptions(flags))
  const columns = engine.options.columns
  const filter = cliFilter(lists.get('filter') ?? [], columns)
  const sortFlag = flags.get('sort')
  const sort = typeof sortFlag === 'string' ? sortFlag.split(',').filter(Boolean) : undefined
  const facets = cliFacets(flags.get('facets') as string | undefined, columns)
  const limit = intFlag(flags, 'limit', intFlag(flags, 'n', 10))
  const offset = intFlag(flags, 'offset', 0)
  const json = flags.get('json') === true
  // Load the segmenter dictionary before timing the search, so `took` is the search alone.
  engine.analyzer.analyze('预热', 'query')
  const result = engine.search(query, { limit, offset, ...(filter ? { filter } : {}), ...(sort ? { sort } : {}), ...(facets ? { facets } : {}) })
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`)
    return
  }
  process.stdout.write(formatHits(result, { offset, color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }))
}

async function serveCommand(args: string[]): Promise<void> {
  const { positional, flags } = parseArgs(args, ['port', 'host', 'token', 'synonyms', 'cache'])
  const [indexFile, ...extra] = positional
  if (!indexFile) throw new UsageError('serve needs an index file, e.g. jiansuo serve news.jsz.')
  if (extra.length > 0) throw new UsageError(`serve takes one index file; "${extra.join(' ')}" is extra.`)
  const port = intFlag(flags, 'port', 8080)
  if (port > 65_535) throw new UsageError(`--port must be at most 65535, got ${port}.`)
  const host = (flags.get('host') as string | undefined) ?? '127.0.0.1'
  const cacheEntries = intFlag(flags, 'cache', 1000)
  const watching = flags.get('watch') === true
  const token = (flags.get('token') as string | undefined) ?? (watching ? undefined : process.env.JIANSUO_TOKEN || undefined)
  // Two writers of one file (this server's saves, the process rebuilding it) would undo each other.
  if (watching && token !== undefined) throw new UsageError('--watch serves a file another process writes, so it is read-only: leave out --token.')
  // Warm: the dictionary loads now, not in the first visitor's search.
  const engineOptions = queryOptions(flags)
  const engine = await SearchEngine.load(indexFile, { ...engineOptions, warm: true })
  const log = (line: string) => process.stderr.write(`${line}\n`)
  const service = createServer(engine, { quiet: flags.get('quiet') === true, log, cacheEntries, ...(token === undefined ? {} : { token, savePath: indexFile }) })
  const watch = watching ? await watchIndexFile(indexFile, (next) => service.replaceEngine(next), { log, engineOptions }) : undefined
  const { url } = await service.listen(port, host)
  process.stderr.write(`jiansuo: serving ${indexFile} on ${url} (${token === undefined ? 'read-only' : 'writes with token'}${watching ? ', reloaded when it changes' : ''})\n`)
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop)
      process.off('SIGINT', stop)
      resolve()
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
  })
  // A second signal means "now": leave without waiting (writes not yet saved are lost).
  const force = (again: NodeJS.Signals) => {
    process.stderr.write(`jiansuo: ${again} again while stopping; exiting without saving\n`)
    process.exit(1)
  }
  process.once('SIGTERM', force)
  process.once('SIGINT', force)
  try {
    watch?.close()
    await service.close()
  } finally {
    process.off('SIGTERM', force)
    process.off('SIGINT', force)
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (command === '--version' || command === '-v' || command === 'version') {
      process.stdout.write(`jiansuo ${VERSION}\n`)
      return 0
    }
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      const topic = command === 'help' ? rest[0] : undefined
      if (topic !== undefined && !isCommand(topic)) throw new UsageError(`No help for "${topic}": the commands are ${Object.keys(COMMANDS).join(', ')}.`)
      process.stdout.write(topic ? commandHelp(topic) : `${USAGE}\n`)
      return command ? 0 : 2
    }
    if (!isCommand(command)) throw new UsageError(`Unknown command "${command}"; the commands are ${Object.keys(COMMANDS).join(', ')}.`)
    const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest
    if (options.includes('--help') || options.includes('-h')) {
      process.stdout.write(commandHelp(command))
      return 0
    }
    try {
      if (command === 'index') await indexCommand(rest)
      else if (command === 'serve') await serveCommand(rest)
      else await searchCommand(rest)
    } catch (err) {
      if (err instanceof UsageError) err.command ??= command
      throw err
    }
    return 0
  } catch (err) {
    if (err instanceof UsageError) {
      const help = err.command ? `jiansuo ${err.command} --help` : 'jiansuo --help'
      process.stderr.write(`jiansuo: ${err.message} (usage: ${help})\n`)
      return 2
    }
    if (err instanceof JiansuoError) {
      process.stderr.write(`jiansuo: ${err.code}: ${err.message}\n`)
      return 1
    }
    process.stderr.write(`jiansuo: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`)
    return 1
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
