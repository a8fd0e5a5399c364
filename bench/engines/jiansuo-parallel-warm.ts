/** jiansuo built with addAllParallel after warmWorkers() in init; everything else as in ./jiansuo.ts. */
import { createJiansuo } from './jiansuo.js'
import type { SearchEngineAdapter } from './types.js'

export default function create(): SearchEngineAdapter {
  return createJiansuo('warm')
}
