/**
 * `npm run demo -- <query>`: index the bundled sample newspaper and print ranked, highlighted
 * results — the whole pipeline in one command.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { SearchEngine } from '../engine.js'
import { parseNewspaper } from '../ingest/newspaper.js'
import { formatHits } from './format.js'

const sample = fileURLToPath(new URL('../../examples/newspaper.txt', import.meta.url))
const query = process.argv.slice(2).join(' ').trim() || '雷锋精神'
const { articles } = parseNewspaper(readFileSync(sample, 'utf8'))
const engine = new SearchEngine()
engine.addAll(articles as never)
console.log(`Indexed ${engine.size} articles from examples/newspaper.txt; query: ${query}\n`)
process.stdout.write(formatHits(engine.search(query, { limit: 5 }), { offset: 0, color: Boolean(process.stdout.isTTY) }))
