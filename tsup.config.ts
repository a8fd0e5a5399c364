import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli/main.ts', 'build-worker': 'src/index/build-worker.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  target: 'node20',
  platform: 'node',
  clean: true,
  sourcemap: true,
  // import.meta.url in the CJS build (used to locate package.json and native bindings).
  shims: true,
  // Native and optional segmenters are resolved at run time, never bundled.
  external: ['nodejieba', '@node-rs/jieba', 'msgpackr'],
  // OpenCC's character tables are plain ESM data: inline them so the CJS build has them too.
  noExternal: [/^opencc-js/],
})
