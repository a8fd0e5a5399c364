/**
 * Pinyin of Han words, the one file that imports `pinyin-pro` (loaded on first use, ~30 ms).
 *
 * Words are converted whole, so a polyphonic character reads as the word says (重庆 → chong qing,
 * 银行 → yin hang, 行长 → hang zhang), toneless and with ü typed as `v` (绿色 → lv se), as pinyin
 * input methods take it. Chosen by measurement on xwlb's 89k Han terms: pinyin-pro converts them in
 * ~0.6 s and reads 1,641 of them differently from @napi-rs/pinyin (0.2 s), which reads per
 * character (重庆 → zhong qing, 银行 → yin xing, 长江 → zhang jiang).
 */
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

interface PinyinPro {
  pinyin(text: string, options: { toneType: 'none'; type: 'array'; v: true }): string[]
}

let converter: PinyinPro | undefined

/** The longest word converted: longer index terms are rare (and nobody types their pinyin). */
export const MAX_PINYIN_WORD = 12

const HAN_WORD = /^[\p{Script=Han}\u3007]+$/u
const PINYIN_SYLLABLE = /^[a-z]+$/

/** Toneless syllables of a word made only of Han characters (one per character); undefined otherwise. */
export function wordPinyin(word: string): string[] | undefined {
  if (word.length === 0 || word.length > MAX_PINYIN_WORD || !HAN_WORD.test(word)) return undefined
  converter ??= require('pinyin-pro') as PinyinPro
  const syllables = converter.pinyin(word, { toneType: 'none', type: 'array', v: true })
  // A character pinyin-pro does not know comes back as itself: no reading, no key.
  if (syllables.length !== [...word].length || !syllables.every((s) => PINYIN_SYLLABLE.test(s))) return undefined
  return syllables
}

/** How a word is typed in pinyin: all syllables (`leifeng`), and their first letters (`lf`). */
export interface PinyinKeys {
  full: string
  initials: string
}

export function pinyinKeys(word: string): PinyinKeys | undefined {
  const syllables = wordPinyin(word)
  return syllables && { full: syllables.join(''), initials: syllables.map((s) => s[0]).join('') }
}

/** Is this (normalized) query text something pinyin could be typed as: Latin letters only? */
export function isPinyinInput(text: string): boolean {
  return text.length > 0 && text.length <= 64 && PINYIN_SYLLABLE.test(text)
}
