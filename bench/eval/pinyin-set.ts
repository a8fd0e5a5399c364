/**
 * A pinyin relevance set from a corpus's titles: query = 2–3 words of an article's title typed in
 * pinyin (several styles), relevant = that article and every other article whose title holds the
 * same Han words.
 *
 *   npx tsx bench/eval/pinyin-set.ts --corpus <corpus.jsonl> [--out <dir>] [--queries N] [--seed S]
 *                                    [--max-relevant M]
 *   npm run eval -- --data <dir> --group-by-prefix --options '{"query":{"pinyin":true}}'
 *
 * Articles are taken in a seeded shuffle (mulberry32, Fisher–Yates). Each title is segmented as
 * jiansuo's default analyzer segments a query; its candidate words are the Han words of 2+
 * characters with a reading (src/analysis/pinyin.ts, so the pinyin is exactly the index's keys).
 * The 2 or 3 (seeded, even odds) rarest candidates by document frequency in the corpus (title or
 * text, index-mode terms) make the query, in title order. An article is skipped when its title
 * has fewer than 2 candidates, when the same words were already used, or when more than M titles
 * (default 10) hold them all (`国内联播快讯`: no query names one article).
 *
 * Every query is written once per style, the style being the query id's prefix (`full-0001`):
 * see STYLES in pinyin-queries.ts. Output: corpus.jsonl ({id,title,text} of the whole corpus),
 * queries.jsonl, qrels.tsv, articles.jsonl (the source article, words and relevant ids of each
 * query number) and README.md (command, seed, counts). Default folder:
 * bench/.cache/eval-pinyin-<corpus name> (git-ignored: the data is third-party text).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SearchEngine } from '../../src/index.js'
import { parseArgs, one, int } from './args.js'
import { loadDocs, type Doc } from './data.js'
import { mulberry32, shuffle, DEFAULT_SEED } from '../lib/random.js'
import { STYLES, STYLE_HELP, pickWords, spell, titleHolds, titleWords, type TitleWord } from './pinyin-queries.js'

const USAGE = `usage: npx tsx bench/eval/pinyin-set.ts --corpus <corpus.jsonl> [--out <dir>] [--queries N] [--seed S] [--max-relevant M]
  --corpus        {id,title,text} JSONL (e.g. ../shared/corpus/xwlb-news/corpus.jsonl)
  --out           output folder (default bench/.cache/eval-pinyin-<corpus name>)
  --queries N     articles to make queries of (default 1000); each gives one query per style
  --seed S        mulberry32 seed of the article order and the word counts (default ${DEFAULT_SEED})
  --max-relevant  skip words that more than M titles hold (default 10)`

interface Picked {
  n: number
  doc: string
  title: string
  words: TitleWord[]
  relevant: string[]
}

function corpusName(path: string): string {
  const file = basename(path).replace(/\.jsonl$/, '')
  return file === 'corpus' ? basename(dirname(resolve(path))) : file
}

function main(): number {
  const args = parseArgs(process.argv.slice(2), new Set(['help']))
  if (args.flags.has('help')) {
    console.log(USAGE)
    return 0
  }
  const known = new Set(['corpus', 'out', 'queries', 'seed', 'max-relevant', 'help'])
  for (const k of args.flags.keys()) if (!known.has(k)) throw new Error(`unknown option --${k}\n${USAGE}`)
  const corpus = one(args, 'corpus')
  if (!corpus) throw new Error(`--corpus is required\n${USAGE}`)
  const wanted = int(args, 'queries', 1000)
  const seed = int(args, 'seed', DEFAULT_SEED)
  const maxRelevant = int(args, 'max-relevant', 10)
  const out = resolve(one(args, 'out') ?? fileURLToPath(new URL(`../.cache/eval-pinyin-${corpusName(corpus)}`, import.meta.url)))
  const log = (m: string) => process.stderr.write(m + '\n')

  const t0 = Date.now()
  const docs = loadDocs(corpus)
  const analyzer = new SearchEngine().analyzer
  // Document frequency as the index counts it: a document holds a term in its title or its text.
  const df = new Map<string, number>()
  for (const d of docs) {
    const terms = new Set([...analyzer.analyzeTerms(d.title).terms, ...analyzer.analyzeTerms(d.text).terms])
    for (const t of terms) df.set(t, (df.get(t) ?? 0) + 1)
  }
  const titles = docs.map((d) => analyzer.normalizeTerm(d.title))
  log(`${docs.length} docs, ${df.size} terms (${((Date.now() - t0) / 1000).toFixed(1)} s)`)

  const rand = mulberry32(seed)
  const order = shuffle(
    docs.map((_, i) => i),
    rand,
  )
  const picked: Picked[] = []
  const used = new Set<string>()
  const skipped = { fewWords: 0, repeated: 0, tooMany: 0 }
  for (const i of order) {
    if (picked.length >= wanted) break
    const doc = docs[i]!
    const count = rand() < 0.5 ? 2 : 3
    const words = pickWords(titleWords(analyzer.analyze(doc.title, 'query').map((t) => t.term)), (w) => df.get(w) ?? 0, count)
    if (!words) {
      skipped.fewWords++
      continue
    }
    const key = words.map((w) => w.word).join(' ')
    if (used.has(key)) {
      skipped.repeated++
      continue
    }
    const relevant = docs.filter((_, j) => titleHolds(titles[j]!, words)).map((d) => d.id)
    if (relevant.length > maxRelevant) {
      skipped.tooMany++
      continue
    }
    used.add(key)
    picked.push({ n: picked.length + 1, doc: doc.id, title: doc.title, words, relevant })
  }
  if (picked.length < wanted) log(`warning: only ${picked.length} of ${wanted} articles qualify`)

  const id = (style: string, n: number) => `${style}-${String(n).padStart(4, '0')}`
  const queries: string[] = []
  const qrels: string[] = []
  for (const p of picked) {
    for (const style of STYLES) {
      queries.push(JSON.stringify({ id: id(style, p.n), text: spell(p.words, style) }))
      for (const d of p.relevant) qrels.push(`${id(style, p.n)}\t${d}\t1`)
    }
  }
  mkdirSync(out, { recursive: true })
  writeFileSync(join(out, 'corpus.jsonl'), docs.map((d: Doc) => JSON.stringify({ id: d.id, title: d.title, text: d.text })).join('\n') + '\n')
  writeFileSync(join(out, 'queries.jsonl'), queries.join('\n') + '\n')
  writeFileSync(join(out, 'qrels.tsv'), qrels.join('\n') + '\n')
  writeFileSync(join(out, 'articles.jsonl'), picked.map((p) => JSON.stringify({ n: p.n, doc: p.doc, title: p.title, words: p.words.map((w) => w.word), relevant: p.relevant })).join('\n') + '\n')
  writeFileSync(join(out, 'README.md'), readme(corpus, out, seed, wanted, maxRelevant, docs.length, picked, skipped))
  log(`${out}: ${picked.length} articles × ${STYLES.length} styles = ${queries.length} queries, ${qrels.length} judgments`)
  return 0
}

function readme(corpus: string, out: string, seed: number, wanted: number, maxRelevant: number, docCount: number, picked: readonly Picked[], skipped: Record<string, number>): string {
  const hist = new Map<number, number>()
  for (const p of picked) hist.set(p.relevant.length, (hist.get(p.relevant.length) ?? 0) + 1)
  const wordCounts = [2, 3].map((k) => `${picked.filter((p) => p.words.length === k).length} of ${k} words`).join(', ')
  const example = picked.slice(0, 3)
  return [
    `# eval-pinyin-${corpusName(corpus)}: pinyin queries from titles`,
    '',
    'Built by `bench/eval/pinyin-set.ts` (generated data: do not commit; the corpus is third-party text):',
    '',
    '```sh',
    `npx tsx bench/eval/pinyin-set.ts --corpus ${corpus} --out ${relative(process.cwd(), out) || '.'} --queries ${wanted} --seed ${seed} --max-relevant ${maxRelevant}`,
    '```',
    '',
    `- corpus.jsonl: the whole corpus, ${docCount} documents ({id,title,text}).`,
    `- ${picked.length} articles (seeded shuffle, mulberry32 seed ${seed}); ${wordCounts}.`,
    `- Skipped on the way: ${skipped.fewWords} titles with fewer than 2 Han words of 2+ characters, ${skipped.repeated} whose words an earlier query used, ${skipped.tooMany} whose words more than ${maxRelevant} titles hold.`,
    '- Words: the title segmented as a jiansuo query (jieba, precise mode), Han words of 2+ characters with a pinyin reading; the rarest 2 or 3 by document frequency (title or text), in title order. Pinyin: `wordPinyin` of src/analysis/pinyin.ts (pinyin-pro by word, toneless, ü as v).',
    `- Relevant (qrels.tsv): the article and every other article whose title holds all the query's Han words (substring of the normalized title). Relevant articles per query: ${[...hist.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}: ${v}`).join(', ')}.`,
    `- queries.jsonl: ${picked.length * STYLES.length} queries, one per article and style; the style is the id prefix:`,
    ...STYLES.map((s) => `  - \`${s}-NNNN\`: ${STYLE_HELP[s]}`),
    '- articles.jsonl: per query number, the source article, its title, the words and the relevant ids.',
    '',
    'Examples:',
    '',
    '| title | ' + STYLES.join(' | ') + ' |',
    '|---|' + STYLES.map(() => '---').join('|') + '|',
    ...example.map((p) => `| ${p.title} | ${STYLES.map((s) => `\`${spell(p.words, s)}\``).join(' | ')} |`),
    '',
    'Evaluate per style: `npm run eval -- --data <this folder> --group-by-prefix [--options \'{"query":{"pinyin":true}}\']`.',
    '',
  ].join('\n')
}

try {
  process.exitCode = main()
} catch (e) {
  process.stderr.write(`pinyin-set: ${(e as Error)?.message ?? String(e)}\n`)
  process.exitCode = 1
}
