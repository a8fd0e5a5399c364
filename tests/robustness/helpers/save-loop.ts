/**
 * Child process for files.test.ts: saves an index over the same path again and again until it is
 * killed, so the test can SIGKILL it mid-save and check the file is always complete.
 *
 *   node --import tsx tests/robustness/helpers/save-loop.ts <target> <seed>
 *
 * <seed> holds the 3,000-document index; it is built (and written) when missing, so only the
 * first child pays for segmentation. Each round upserts a Latin-only `generation` document (no Han
 * text, so the loop never needs the segmenter), saves, and prints `saved <n>` once save() returned.
 */
import { existsSync } from 'node:fs'
import { SearchEngine } from '../../../src/index.js'
import { syntheticDocs } from './common.js'

const [target, seed] = process.argv.slice(2)
if (!target || !seed) throw new Error('usage: save-loop.ts <target> <seed>')

let engine: SearchEngine
if (existsSync(seed)) {
  engine = await SearchEngine.load(seed)
} else {
  engine = new SearchEngine()
  engine.addAll(syntheticDocs(3000))
  await engine.save(seed)
}

for (let n = 1; ; n++) {
  engine.add({ id: 'generation', title: `generation ${n}`, body: `g${n}`, generation: n }, { upsert: true })
  await engine.save(target)
  process.stdout.write(`saved ${n}\n`)
}
