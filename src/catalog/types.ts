/**
 * The catalog's model, shared by the gateway, the portal and the assistant. Prices are the
 * upstream's USD per unit as decimal text; null means unknown, which is never the same as free.
 */
export interface ModelPricing {
  /** USD per prompt token. */
  prompt: string | null
  /** USD per completion token. */
  completion: string | null
  /** USD per request. */
  request: string | null
  /** USD per input image. */
  image: string | null
}

export type ModelKind = 'chat' | 'embedding'

export interface CatalogModel {
  id: string
  kind: ModelKind
  name: string
  description: string
  /** The author prefix of the id: `anthropic` for `anthropic/claude-sonnet-4`. */
  provider: string
  contextLength: number | null
  inputModalities: string[]
  outputModalities: string[]
  /** Unix seconds, as the upstream reports it. */
  created: number | null
  pricing: ModelPricing
}

/** What the gateway needs from the catalog on its hot path: a lookup from memory. */
export interface CatalogReader {
  get(id: string): CatalogModel | undefined
}
