/**
 * Identifies the jiansuo source a benchmark measured: the git commit (if any) plus a hash of every
 * file under src/. src/ is edited while benchmarks run, so run.ts/scale.ts compare the hash before
 * and after and warn when it changed (the medians would then mix two versions).
 */
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export function srcFingerprint(): { commit: string | null; srcHash: string } {
  const hash = createHash('sha1')
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else hash.update(relative(ROOT, p)).update('\0').update(readFileSync(p)).update('\0')
    }
  }
  walk(join(ROOT, 'src'))
  let commit: string | null = null
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()
  } catch {
    // no commit yet, or no git
  }
  return { commit, srcHash: hash.digest('hex').slice(0, 12) }
}
