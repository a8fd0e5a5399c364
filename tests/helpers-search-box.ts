import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Document } from '../src/index.js'

/** 84 real 新闻联播 articles (see tests/fixtures/README.md: `xwlb-sample.jsonl`). */
export function xwlbSample(): Document[] {
  const path = fileURLToPath(new URL('./fixtures/xwlb-sample.jsonl', import.meta.url))
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Document)
}
