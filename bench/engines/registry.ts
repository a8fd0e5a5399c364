/**
 * Engine names → modules. Imported lazily so a child process only loads the one engine it runs
 * (and its memory numbers are not polluted by the others).
 */
import type { EngineAdapter } from './types.js'

export const ENGINES = {
  jiansuo: () => import('./jiansuo.js'),
  'jiansuo-parallel': () => import('./jiansuo-parallel.js'),
  'jiansuo-parallel-warm': () => import('./jiansuo-parallel-warm.js'),
  'flexsearch-jieba': () => import('./flexsearch-jieba.js'),
  'minisearch-jieba': () => import('./minisearch-jieba.js'),
  'orama-mandarin': () => import('./orama-mandarin.js'),
  'sqlite-jieba': () => import('./sqlite-jieba.js'),
  'segment-nodejieba': () => import('./segment-nodejieba.js'),
  'segment-node-rs-jieba': () => import('./segment-node-rs-jieba.js'),
} satisfies Record<string, () => Promise<{ default: () => EngineAdapter }>>

export type EngineName = keyof typeof ENGINES
export const ENGINE_NAMES = Object.keys(ENGINES) as EngineName[]

export async function createEngine(name: string): Promise<EngineAdapter> {
  const load = ENGINES[name as EngineName]
  if (!load) throw new Error(`unknown engine "${name}" (known: ${ENGINE_NAMES.join(', ')})`)
  return (await load()).default()
}
