/**
 * Spawns bench/engines/worker.ts in a fresh Node process (same node binary, tsx as an --import
 * loader) and returns the JSON it wrote. Children run one at a time: on a 2-core machine parallel
 * children would measure each other.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { WorkerArgs } from '../engines/worker.js'

const WORKER = fileURLToPath(new URL('../engines/worker.ts', import.meta.url))
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url))
// Absolute URL of tsx's ESM loader, so the child does not depend on its cwd to find it.
const TSX = import.meta.resolve('tsx')

export interface ChildOptions {
  /** Kill the child after this many seconds (default 1800). */
  timeoutSeconds?: number
  /** V8 old-space limit in MB (default 12288): big JS indexes exceed Node's default heap. */
  maxOldSpaceMb?: number
}

export type ChildResult = { ok: true; [k: string]: unknown } | { ok: false; unavailable?: boolean; error: string; [k: string]: unknown }

export async function runWorker(engine: string, args: Omit<WorkerArgs, 'out'>, opts: ChildOptions = {}): Promise<ChildResult> {
  const dir = mkdtempSync(join(tmpdir(), 'jiansuo-bench-out-'))
  const out = join(dir, 'result.json')
  const nodeArgs = ['--import', TSX, '--expose-gc', `--max-old-space-size=${opts.maxOldSpaceMb ?? 12288}`, WORKER, engine, JSON.stringify({ ...args, out })]
  try {
    const code = await new Promise<number | string>((resolve, reject) => {
      // Child stdout goes to our stderr: our stdout is reserved for the final tables.
      const child = spawn(process.execPath, nodeArgs, { cwd: PROJECT_ROOT, stdio: ['ignore', process.stderr, process.stderr] })
      const timer = setTimeout(() => child.kill('SIGKILL'), (opts.timeoutSeconds ?? 1800) * 1000)
      child.on('error', reject)
      child.on('exit', (c, signal) => {
        clearTimeout(timer)
        resolve(c ?? signal ?? 'unknown')
      })
    })
    try {
      return JSON.parse(readFileSync(out, 'utf8')) as ChildResult
    } catch {
      return { ok: false, error: `worker exited with ${code} and no result (timeout or crash, e.g. out of memory)` }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
