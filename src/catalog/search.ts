import type { MmkPricing } from './mmk'
import type { CatalogModel, ModelKind } from './types'
import type { PricedModel } from './view'

export type ModelSort = 'relevance' | 'price' | 'context'

/** A catalog search, as the portal's filter form and the assistant's tool send it. */
export interface ModelSearchQuery {
  /** Free text over id, name and description; every word must match somewhere. */
  text?: string
  /** e.g. `image`: the model accepts this input. */
  inputModality?: string
  /** e.g. `text`, `image`, `embeddings`: the model produces this output. */
  outputModality?: string
  /** The id's author prefix, e.g. `anthropic`. */
  provider?: string
  minContextLength?: number
  /**
   * Most MMK per 1M tokens, applied to the prompt AND the completion price separately: both
   * must be known and at most this. Models with an unknown price never match.
   */
  maxPricePer1MMmk?: number
  freeOnly?: boolean
  kind?: ModelKind
  /**
   * relevance (default; by id when there is no text), price (cheapest first),
   * context (largest).
   */
  sort?: ModelSort
  /** 1 to 500; 20 by default. */
  limit?: number
}

export interface ModelSearchHit {
  model: CatalogModel
  pricingMmk: MmkPricing
  free: boolean
  /** Higher is a better text match; 0 without text. */
  score: number
}

export interface ModelSearchResult {
  /** How many models matched before the limit. */
  total: number
  hits: ModelSearchHit[]
}

export const DEFAULT_SEARCH_LIMIT = 20
export const MAX_SEARCH_LIMIT = 500

/** Words of a query: lowercase runs of letters, marks, digits and inner dots ("2.5"). */
export function tokenize(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{M}\p{N}]+(?:\.[\p{L}\p{M}\p{N}]+)*/gu)
  return words ? [...new Set(words)] : []
}

export function searchModels(entries: PricedModel[], query: ModelSearchQuery): ModelSearchResult {
  const words = tokenize(query.text ?? '')
  const phrase = (query.text ?? '').trim().toLowerCase()
  const accepts = filterOf(query)
  const scored: { entry: PricedModel; score: number }[] = []

  for (const entry of entries) {
    if (!accepts(entry)) continue
    const score = words.length > 0 ? textScore(entry, words, phrase) : 0
    if (score > 0 || words.length === 0) scored.push({ entry, score })
  }

  scored.sort(comparator(query.sort ?? 'relevance'))
  const limit = Math.min(
    Math.max(Math.trunc(query.limit ?? DEFAULT_SEARCH_LIMIT), 1),
    MAX_SEARCH_LIMIT,
  )
  const hits = scored.slice(0, limit).map(({ entry, score }) => ({
    model: entry.model,
    pricingMmk: entry.mmk,
    free: entry.free,
    score,
  }))
  return { total: scored.length, hits }
}

function filterOf(query: ModelSearchQuery): (entry: PricedModel) => boolean {
  const input = query.inputModality?.toLowerCase()
  const output = query.outputModality?.toLowerCase()
  const provider = query.provider?.toLowerCase()
  const minContext = query.minContextLength
  const maxPrice = query.maxPricePer1MMmk

  return ({ model, mmk, free }) => {
    if (query.kind && model.kind !== query.kind) return false
    if (query.freeOnly && !free) return false
    if (provider && model.provider.toLowerCase() !== provider) return false
    if (input && !model.inputModalities.includes(input)) return false
    if (output && !model.outputModalities.includes(output)) return false
    if (minContext !== undefined && (model.contextLength ?? -1) < minContext) return false
    if (maxPrice !== undefined && !withinPrice(mmk, maxPrice)) return false
    return true
  }
}

const withinPrice = (mmk: MmkPricing, max: number) =>
  mmk.promptPer1M !== null &&
  mmk.completionPer1M !== null &&
  mmk.promptPer1M <= max &&
  mmk.completionPer1M <= max

/** 0 when a word matches nowhere; otherwise id and name matches weigh most, word starts more. */
function textScore(entry: PricedModel, words: string[], phrase: string): number {
  let total = 0
  for (const word of words) {
    const score =
      fieldScore(entry.idText, word, 6) +
      fieldScore(entry.nameText, word, 5) +
      fieldScore(entry.descriptionText, word, 1)
    if (score === 0) return 0
    total += score
  }
  if (entry.idText === phrase || entry.nameText === phrase) total += 20
  return total
}

function fieldScore(text: string, word: string, weight: number): number {
  let at = text.indexOf(word)
  if (at < 0) return 0
  while (at >= 0) {
    if (at === 0 || !/[\p{L}\p{N}]/u.test(text[at - 1]!)) return weight * 2
    at = text.indexOf(word, at + 1)
  }
  return weight
}

type Scored = { entry: PricedModel; score: number }

const byId = (a: Scored, b: Scored) => (a.entry.model.id < b.entry.model.id ? -1 : 1)

function comparator(sort: ModelSort): (a: Scored, b: Scored) => number {
  if (sort === 'price') {
    return (a, b) => ascending(a.entry.pricePer1M, b.entry.pricePer1M) || byId(a, b)
  }
  if (sort === 'context') {
    const context = (s: Scored) => s.entry.model.contextLength ?? -1
    return (a, b) => context(b) - context(a) || byId(a, b)
  }
  return (a, b) => b.score - a.score || byId(a, b)
}

// Infinity (an unknown price) sorts last; Infinity - Infinity would be NaN.
const ascending = (a: number, b: number) => (a === b ? 0 : a < b ? -1 : 1)
