/**
 * One search, end to end, over an index state: check the options against the schema, parse,
 * build the filter set (cached), compile the words (unknown words resolved within the query's
 * budget), execute, then assemble hits, explanations and facet counts. Holds what searches
 * reuse: the scratch buffers, the unknown-word resolver and the filter cache.
 */
import type { Analyzer } from './analysis/analyzer.js'
import { JiansuoError, describeValue } from './errors.js'
import type { InvertedIndex } from './index/inverted-index.js'
import type { ResolvedOptions } from './options.js'
import { parseQuery, type ParsedQuery } from './query/parser.js'
import { compileQuery, type RankingParams, type Span } from './query/compile.js'
import { homophoneCorrections, MAX_QUERY as HOMOPHONE_QUERY, type Correction } from './query/homophones.js'
import { SynonymRules } from './query/synonyms.js'
import { MAX_LIMIT as MAX_SUGGESTIONS, Suggester, type Suggestion } from './query/suggest.js'
import { optionsObject, wholeNumber } from './arguments.js'
import type { Token } from './analysis/analyzer.js'
import { PinyinVocabulary } from './query/pinyin-vocabulary.js'
import { joinPinyinClauses, pinyinSpans } from './query/pinyin-words.js'
import { createScratch, executeQuery, type Scratch } from './query/execute.js'
import { matchesSlots, scoringInputs } from './query/score-one.js'
import { FilterCache, queryFilter } from './query/filter.js'
import { sortOrder } from './query/sort.js'
import { countFacets, facetPlans } from './query/facets.js'
import { explainScore } from './query/explain.js'
import { decompose, QUERY_BUDGET, UnknownWordResolver, type UnknownWordBudget, type UnknownWordSource } from './query/unknown-words.js'
import { MAX_QUERY_LENGTH, lazyHit, searchSettings, type SearchOptions, type SearchResult } from './search-options.js'
import { checkHitText, highlightedHits, type HitSource } from './hits.js'
import type { DocumentShape } from './document.js'

/** Queries of more words keep their results when corrected (didYouMean only). */
const MAX_REPLACED_WORDS = 3

export class Searcher {
  private scratch: Scratch = createScratch(0)
  private readonly unknownWords = new UnknownWordResolver()
  /** The vocabulary by pinyin, with the `query.pinyin` option. */
  private readonly pinyin?: PinyinVocabulary
  /** Completions from the titles (or the first text field when there is no title). */
  private readonly suggester: Suggester
  /** The rules of `query.synonyms`, when any. */
  private readonly synonyms?: SynonymRules
  private readonly filters = new FilterCache()
  private readonly fieldNames: string[]
  readonly params: RankingParams

  constructor(
    private readonly options: ResolvedOptions,
    private readonly analyzer: Analyzer,
  ) {
    this.fieldNames = options.fields.map((f) => f.name)
    if (options.query.pinyin) this.pinyin = new PinyinVocabulary()
    const titleField = this.fieldNames.indexOf('title')
    this.suggester = new Suggester(titleField >= 0 ? titleField : 0, this.pinyin)
    if (options.query.synonyms.length > 0) this.synonyms = new SynonymRules(options.query.synonyms, analyzer)
    this.params = { k1: options.bm25.k1, b: options.bm25.b, boosts: options.fields.map((f) => f.boost), ...options.ranking }
  }

  search<Doc extends DocumentShape>(index: InvertedIndex, query: string, options: SearchOptions): SearchResult<Doc> {
    return this.run<Doc>(index, query, options, this.pinyin !== undefined && this.options.query.didYouMean ? 'correct' : 'plain').result
  }

  /**
   * One search. `correct`: also look for homophone corrections (see homophones.ts); `candidate`
   * (a corrected query): also tell whether a hit of the page holds every word.
   */
  private run<Doc extends DocumentShape>(index: InvertedIndex, query: string, options: SearchOptions, mode: 'plain' | 'correct' | 'candidate'): { result: SearchResult<Doc>; complete?: boolean } {
    const started = performance.now()
    const settings = searchSettings(options)
    const { limit, offset } = settings
    const fields = this.searchFields(settings.fields)
    if (typeof query !== 'string') throw new JiansuoError('INVALID_QUERY', `The query is ${describeValue(query)}; pass a string.`)
    // Checked before any work, so a mistyped sort or facet fails at once.
    const order = sortOrder(settings.sort, index.columns)
    const facets = settings.facets === undefined ? undefined : facetPlans(settings.facets, index.columns)
    // Longer input is not a search box query; cut it so a pasted article cannot stall the engine.
    const text = query.length > MAX_QUERY_LENGTH ? query.slice(0, MAX_QUERY_LENGTH) : query
    const typed = parseQuery(text, this.fieldNames, settings.strict, this.options.columns)
    const parsed = this.pinyin ? joinPinyinClauses(typed, this.pinyin.refresh(index.postings), (t) => this.analyzer.normalizeTerm(t)) : typed
    const filter = this.filters.get([parsed.filters, settings.filter], index.generation, () => queryFilter(parsed.filters, settings.filter, index))
    const params = this.params
    const budget: UnknownWordBudget = { ...QUERY_BUDGET }
    const compiled = compileQuery(parsed, this.analyzer, index, fields, {
      unknown: (term) => this.unknownWords.resolve(term, this.unknownWordContext(index), budget),
      decompose: (term) => decompose(term, (piece) => index.postings.docFreq(piece) > 0, (piece) => this.analyzer.isStopword(piece)),
      ...(this.pinyin || this.synonyms ? { rewrite: (tokens, clauseText, clauseFields) => this.rewrite(tokens, clauseText, clauseFields, index) } : {}),
    })
    // No words: nothing to find — unless the search filters, sorts or counts, then it lists.
    compiled.matchAll &&= filter !== undefined || settings.sort !== undefined || facets !== undefined
    if (this.scratch.scores.length < index.docIdLimit) this.scratch = createScratch(Math.ceil(index.docIdLimit * 1.25) + 16)
    const collect = { k: offset + limit, ...(filter ? { filter } : {}), ...(order ? { order } : {}), matches: facets !== undefined }
    const { total, top, matches } = executeQuery(compiled, index, params, this.scratch, collect)
    const page = top.slice(offset, offset + limit)
    const { snippet, tags } = settings
    const source = this.hitSource(index)
    const hits = snippet
      ? highlightedHits<Doc>(source, page, compiled.highlightTerms, fields, snippet, tags)
      : page.map(({ doc, score }) => {
          const id = index.externalId(doc)!
          const read = index.storedReader(doc)
          return lazyHit(id, score, () => checkHitText(source, id, read(), compiled.highlightTerms, fields) as unknown as Doc)
        })
    if (settings.explain) {
      const inputs = scoringInputs(compiled, index, params)
      hits.forEach((hit, i) => (hit.explain = explainScore(compiled, inputs, index, params, page[i]!.doc)))
    }
    const result: SearchResult<Doc> = {
      total,
      took: 0,
      hits,
      ...(facets && matches ? { facets: countFacets(facets, matches, index.generation) } : {}),
      ...(compiled.relaxed.length > 0 ? { relaxed: compiled.relaxed } : {}),
    }
    // Does a hit of the page hold every word?
    const complete = () => {
      const slots = compiled.slots.map((_, i) => i)
      const inputs = scoringInputs(compiled, index, this.params)
      return page.slice(0, 10).some(({ doc }) => matchesSlots(inputs, index.fields.length, doc, slots))
    }
    const done = (out: SearchResult<Doc>) => ((out.took = Math.round((performance.now() - started) * 1000) / 1000), out)
    if (mode === 'candidate') return { result: done(result), complete: complete() }
    if (mode === 'plain' || text.length > HOMOPHONE_QUERY) return { result: done(result) }
    // Only a search-box query is replaced: in a longer question, hits without every word are still answers.
    const replaceable = compiled.slots.length <= MAX_REPLACED_WORDS
    return { result: done(this.corrected(result, parsed, replaceable, complete, index, text, options)) }
  }

  /**
   * With homophone corrections for the query: when the corrected query's page has a hit with every
   * word, `didYouMean`; and when the query has at most MAX_REPLACED_WORDS words and no hit of the
   * page as typed has every one, the corrected results instead, flagged in `relaxed`. A correction whose query matches no better is not offered.
   */
  private corrected<Doc extends DocumentShape>(
    result: SearchResult<Doc>,
    parsed: ParsedQuery,
    replaceable: boolean,
    typedComplete: () => boolean,
    index: InvertedIndex,
    text: string,
    options: SearchOptions,
  ): SearchResult<Doc> {
    const vocabulary = this.pinyin!.refresh(index.postings)
    const corrections: Correction[] = []
    for (const clause of parsed.groups.flat()) {
      const tokens = this.analyzer.analyze(clause.text, 'query')
      corrections.push(...homophoneCorrections(tokens, clause.text, vocabulary, index.postings, (word) => this.documentsWith(index, word)))
    }
    if (corrections.length === 0) return result
    let didYouMean = text
    for (const c of corrections) didYouMean = didYouMean.split(c.from).join(c.to)
    const candidate = this.run<Doc>(index, didYouMean, options, 'candidate')
    if (!candidate.complete) return result
    if (!replaceable || typedComplete()) return { ...result, didYouMean }
    const instead = candidate.result
    const relaxed = [...corrections.map((c) => ({ kind: 'homophone' as const, from: c.from, to: c.to })), ...(instead.relaxed ?? [])]
    return { ...instead, didYouMean, relaxed }
  }

  /** Documents holding a normalized word: as an index term, or as text (unknown-word matching). */
  private documentsWith(index: InvertedIndex, word: string): number {
    const df = index.postings.docFreq(word)
    if (df > 0) return df
    const found = this.unknownWords.resolve(word, this.unknownWordContext(index), { ...QUERY_BUDGET })
    return found.reduce((n, alt) => n + (alt.list ? alt.list.length : index.postings.docFreq(alt.term)), 0)
  }

  suggest(index: InvertedIndex, prefix: string, options: { limit?: number }): Suggestion[] {
    if (typeof prefix !== 'string') throw new JiansuoError('INVALID_QUERY', `suggest() takes the prefix as a string, got ${describeValue(prefix)}.`)
    const limit = wholeNumber('Option limit of suggest()', optionsObject('suggest()', options, ['limit']).limit, 10, 1, MAX_SUGGESTIONS)
    // A prefix is what a search box holds: longer text cannot complete anything.
    const normalized = this.analyzer.normalizeTerm(prefix.slice(0, 64))
    return this.suggester.refresh(index).suggest(normalized, limit)
  }

  /** Build now what the first query builds lazily (see SearchEngine.warm). */
  warm(index: InvertedIndex): void {
    this.analyzer.analyze('检索预热', 'query')
    this.unknownWords.warm(index, this.analyzer.config.normalize)
    index.fieldNorms(this.params.b, this.params.boosts)
    this.pinyin?.refresh(index.postings)
    this.suggester.refresh(index)
  }

  /** Spans of one clause read as synonyms, then as pinyin where no synonym rule matched. */
  private rewrite(tokens: readonly Token[], text: string, fields: readonly number[], index: InvertedIndex): Span[] {
    const synonyms = this.synonyms?.spans(tokens, index, fields, this.options.query.synonymWeight) ?? []
    if (!this.pinyin) return synonyms
    const covered = (k: number) => synonyms.some((s) => k >= s.first && k < s.end)
    const pinyin = pinyinSpans(tokens, text, this.pinyin.refresh(index.postings), index.postings).filter((p) => !covered(p.first) && !covered(p.end - 1))
    return [...synonyms, ...pinyin].sort((a, b) => a.first - b.first)
  }

  /** Drop the per-document buffers (after a compaction shrank the index). */
  releaseScratch(): void {
    this.scratch = createScratch(0)
  }

  private searchFields(names: readonly string[] | undefined): number[] {
    if (names === undefined) return this.fieldNames.map((_, i) => i)
    if (!Array.isArray(names)) throw new JiansuoError('INVALID_OPTION', `Search option fields is ${describeValue(names)}; expected an array of field names.`)
    return names.map((name) => {
      const f = this.fieldNames.indexOf(name)
      if (f < 0) throw new JiansuoError('UNKNOWN_FIELD', `Search option fields names ${describeValue(name)}; searchable fields are ${this.fieldNames.join(', ')}.`)
      return f
    })
  }

  private hitSource(index: InvertedIndex): HitSource {
    return { index, fieldNames: this.fieldNames, norm: this.analyzer.config.normalize, termsInText: !this.analyzer.hasCustomFilters }
  }

  /** The unknown-word resolver's view of the index searched. */
  private unknownWordContext(index: InvertedIndex): UnknownWordSource {
    return {
      index,
      fields: this.fieldNames,
      norm: this.analyzer.config.normalize,
      weight: this.options.ranking.expansionWeight,
      stopwordChars: this.analyzer.stopwordChars(),
    }
  }
}
