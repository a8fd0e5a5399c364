#!/usr/bin/env node
/**
 * The `jiansuo` command — a contract other tools rely on:
 *
 *   jiansuo index <file…> -o <index-file>      .txt (newspaper format) and .jsonl inputs
 *   jiansuo search <index-file> <query> [--limit N] [--offset N] [--json]
 *
 * `--json` prints exactly the object `engine.search()` returns. Errors print one line on stderr
 * and exit non-zero (1 for a failed operation, 2 for wrong usage).
 */
import { readFileSync, realpathSync, statSync } from 'node:fs'
import { basename, extname, resolve } from 'node:path'
import { SearchEngine, type Document } from '../engine.js'
import { JiansuoError } from '../errors.js'
import { parseNewspaper } from '../ingest/newspaper.js'
import { readJsonl } from '../ingest/jsonl.js'
import { formatHits } from './format.js'

const USAGE = `Usage:
  jiansuo index <file.txt|file.jsonl>… -o <index-file>
  jiansuo search <index-file> <query> [--limit N] [--offset N] [--json]`

class UsageError extends Error {}

interface Parsed {
  positional: string[]
  flags: Map<string, string | true>
}

function parseArgs(args: string[], valued: string[]): Parsed {
  const positional: string[] = []
  const flags = new Map<string, string | true>()
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--') {
      positional.push(...args.slice(i + 1))
      break
    }
    if (arg.startsWith('-') && arg.length > 1 && !/^-\p{Script=Han}/u.test(arg)) {
      const name = arg.replace(/^--?/, '')
      if (valued.includes(name)) {
        const value = args[++i]
        if (value === undefined) throw new UsageError(`Option ${arg} needs a value.`)
        flags.set(name, value)
      } else if (['json', 'help', 'h', 'quiet'].includes(name)) flags.set(name, true)
      else throw new UsageError(`Unknown option ${arg}.`)
    } else positional.push(arg)
  }
  return { positional, flags }
}

function intFlag(flags: Map<string, string | true>, name: string, fallback: number): number {
  const raw = flags.get(name)
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number ≥ 0, got "${String(raw)}".`)
  return n
}

export function loadDocuments(files: string[], warn: (message: string) => void): Document[] {
  const docs: Document[] = []
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
      const { documents, errors } = readJsonl(file)
      for (const e of errors) warn(`${file}:${e.line}: ${e.message}; line skipped`)
      docs.push(...documents)
    } else if (ext === '.txt' || ext === '.md') {
      const prefix = files.length > 1 ? `${basename(file, extname(file))}-a` : 'a'
      const { articles, warnings } = parseNewspaper(readFileSync(file, 'utf8'), { idPrefix: prefix })
      for (const w of warnings) warn(`${file}: ${w}`)
      docs.push(...(articles as unknown as Document[]))
    } else {
      throw new JiansuoError('INVALID_INPUT', `Input "${file}" has extension "${ext}"; use .txt (newspaper format) or .jsonl.`)
    }
  }
  return docs
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
  const { positional, flags } = parseArgs(args, ['o', 'output'])
  const output = (flags.get('o') ?? flags.get('output')) as string | undefined
  if (positional.length === 0) throw new UsageError('index needs at least one input file.')
  if (!output) throw new UsageError('index needs -o <index-file>.')
  checkOutputIsNotInput(positional, output)
  const started = performance.now()
  const docs = loadDocuments(positional, (m) => process.stderr.write(`jiansuo: warning: ${m}\n`))
  const engine = new SearchEngine()
  const tty = process.stderr.isTTY
  // Segmentation runs on worker threads (one per core); the index equals a single-threaded build.
  await engine.addAllParallel(docs, {
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
  })
  await engine.save(output)
  const bytes = statSync(output).size
  const seconds = (performance.now() - started) / 1000
  process.stdout.write(`indexed ${engine.size} documents, ${engine.termCount} terms, ${bytes} bytes in ${seconds.toFixed(2)} s → ${output}\n`)
}

async function searchCommand(args: string[]): Promise<void> {
  const { positional, flags } = parseArgs(args, ['limit', 'offset', 'n'])
  const [indexFile, ...queryParts] = positional
  if (!indexFile) throw new UsageError('search needs an index file and a query.')
  const query = queryParts.join(' ')
  if (!query.trim()) throw new UsageError('search needs a query, e.g. jiansuo search news.jsz 雷锋精神')
  const engine = await SearchEngine.load(indexFile)
  const limit = intFlag(flags, 'limit', intFlag(flags, 'n', 10))
  const offset = intFlag(flags, 'offset', 0)
  const json = flags.get('json') === true
  // Load the segmenter dictionary before timing the search, so `took` is the search alone.
  engine.analyzer.analyze('预热', 'query')
  const result = engine.search(query, { limit, offset })
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`)
    return
  }
  process.stdout.write(formatHits(result, { offset, color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }))
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${USAGE}\n`)
      return command ? 0 : 2
    }
    if (command === 'index') await indexCommand(rest)
    else if (command === 'search') await searchCommand(rest)
    else throw new UsageError(`Unknown command "${command}".`)
    return 0
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`jiansuo: ${err.message}\n${USAGE}\n`)
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
