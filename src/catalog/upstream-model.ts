import { parsePricing } from './prices'
import type { CatalogModel, ModelKind } from './types'

/** A model as the upstream sent it: the parsed model and its JSON text, kept for the database. */
export interface FetchedModel {
  model: CatalogModel
  raw: string
}

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null

const stringOr = (value: unknown, fallback: string) =>
  typeof value === 'string' ? value : fallback

const wholeOrNull = (value: unknown) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null

const strings = (value: unknown) =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []

/** The author prefix of an id: `anthropic` for `anthropic/claude-sonnet-4`. */
export function providerOf(id: string): string {
  const slash = id.indexOf('/')
  return slash > 0 ? id.slice(0, slash) : id
}

/** One OpenRouter model object to a catalog model; null when it has no usable id. */
export function toCatalogModel(item: unknown, kind: ModelKind): FetchedModel | null {
  if (!isObject(item) || typeof item.id !== 'string' || item.id.trim() === '') return null
  const id = item.id.trim()
  const architecture = isObject(item.architecture) ? item.architecture : {}
  const topProvider = isObject(item.top_provider) ? item.top_provider : {}
  const defaultOutput = kind === 'embedding' ? ['embeddings'] : ['text']
  const outputModalities = strings(architecture.output_modalities)

  const model: CatalogModel = {
    id,
    kind,
    name: stringOr(item.name, id),
    description: stringOr(item.description, ''),
    provider: providerOf(id),
    contextLength: wholeOrNull(item.context_length) ?? wholeOrNull(topProvider.context_length),
    inputModalities: strings(architecture.input_modalities),
    outputModalities: outputModalities.length > 0 ? outputModalities : defaultOutput,
    created: wholeOrNull(item.created),
    pricing: parsePricing(item.pricing),
  }
  return { model, raw: JSON.stringify(item) }
}
