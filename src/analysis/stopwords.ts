/**
 * Function words that carry no topic: particles, pronouns, conjunctions, and the interrogatives of
 * question-style queries (什么, 哪, 谁, 多少, 是否, 怎样, 为什么 …). They do not become terms in
 * documents or queries, but they still take a position, so phrases stay exact.
 * Kept short on purpose: a content word wrongly listed here can never be found.
 */
export const DEFAULT_STOPWORDS: readonly string[] = [
  // particles and auxiliaries
  '的', '得', '了', '着', '过', '之', '所', '吗', '呢', '吧', '啊', '呀', '哦', '嗯', '么', '嘛', '哈',
  // copula, prepositions, conjunctions
  '是', '在', '和', '与', '及', '或', '而', '且', '并', '也', '都', '就', '又', '还', '才', '把', '被', '让',
  '给', '对', '于', '从', '向', '以', '为', '由', '即', '则', '但', '等', '等等', '以及', '并且', '或者',
  '还是', '但是', '而且', '因为', '所以', '如果', '虽然', '然而', '其', '其中', '之一',
  // demonstratives and pronouns
  '这', '那', '此', '该', '各', '每', '某', '这个', '那个', '这些', '那些', '这样', '那样', '这里', '那里',
  '我', '你', '您', '他', '她', '它', '我们', '你们', '他们', '她们', '它们', '自己', '一个', '一种',
  // interrogatives (question-style queries)
  '什么', '什么样', '哪', '哪里', '哪儿', '哪个', '哪些', '哪一', '哪一个', '哪一年', '哪位', '谁', '多少',
  '几', '是否', '怎样', '怎么', '怎么样', '为什么', '为何', '如何', '何', '何时', '何地', '啥', '有没有',
  '是不是', '哪家', '哪种', '哪国',
  // Latin
  'a', 'an', 'the', 'of', 'and', 'or', 'to', 'in', 'is',
]
