/**
 * What a document is, for every stage that handles one (ingest produces them, the engine indexes
 * them): a leaf module, so those stages need not import the engine for a type.
 */

/** A document with no declared shape: a string id, and any other fields. */
export interface Document {
  id: string
  [field: string]: unknown
}

/**
 * What `SearchEngine<Doc>` accepts: any type with a string `id`, interfaces included (they need no
 * index signature). Searchable fields must be strings (or absent/null) at run time.
 */
export type DocumentShape = { id: string }
