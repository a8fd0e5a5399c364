/** jiansuo built with addAllParallel, workers started inside the timed build; everything else as in ./jiansuo.ts. */
import { createJiansuo } from './jiansuo.js'
import type { SearchEngineAdapter } from './types.js'

export default function create(): SearchEngineAdapter {
  return createJiansuo('cold')
}
