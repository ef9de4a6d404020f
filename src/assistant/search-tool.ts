import { tool } from 'ai'
import { z } from 'zod'
import type { ModelSearchQuery, ModelSearchResult } from '../catalog/search'

/** The catalog's own search; the tool translates its arguments and trims its answer. */
export interface ModelSearcher {
  search(query: ModelSearchQuery): ModelSearchResult
}

export const SEARCH_RESULT_LIMIT = 5

const searchInput = z.object({
  task: z
    .string()
    .max(200)
    .optional()
    .describe(
      'One or two keywords that must all match the id, name or description, e.g. "code", "llama"',
    ),
  inputModality: z
    .enum(['text', 'image', 'audio', 'video', 'file'])
    .optional()
    .describe('The model must accept this input'),
  outputModality: z
    .enum(['text', 'image', 'audio', 'embeddings'])
    .optional()
    .describe('The model must produce this output'),
  provider: z
    .string()
    .max(60)
    .optional()
    .describe('Provider, the id prefix: openai, anthropic, google, meta-llama, mistralai, …'),
  minContextLength: z.number().int().positive().optional().describe('Minimum context in tokens'),
  maxPricePer1MMmk: z
    .number()
    .positive()
    .optional()
    .describe('Most MMK per 1M tokens, for input and for output each'),
  sort: z.enum(['relevance', 'price', 'context']).optional(),
})

export type SearchModelsInput = z.infer<typeof searchInput>

/** `search_models`: the top matches of the live catalog with their MMK prices. */
export function searchModelsTool(catalog: ModelSearcher) {
  return tool({
    description:
      'Search the live Sargalay model catalog. Returns at most 5 models with their prices in ' +
      'MMK per 1M input and output tokens, context length and modalities.',
    inputSchema: searchInput,
    execute: async (input) => searchCatalog(catalog, input),
  })
}

export function searchCatalog(catalog: ModelSearcher, input: SearchModelsInput) {
  const result = catalog.search({
    text: input.task,
    inputModality: input.inputModality,
    outputModality: input.outputModality,
    provider: input.provider,
    minContextLength: input.minContextLength,
    maxPricePer1MMmk: input.maxPricePer1MMmk,
    sort: input.sort ?? (input.task ? 'relevance' : 'price'),
    limit: SEARCH_RESULT_LIMIT,
  })

  return {
    matched: result.total,
    models: result.hits.map(({ model, pricingMmk, free }) => ({
      id: model.id,
      name: model.name,
      contextLength: model.contextLength,
      input: model.inputModalities,
      output: model.outputModalities,
      free,
      mmkPer1MInputTokens: pricingMmk.promptPer1M,
      mmkPer1MOutputTokens: pricingMmk.completionPer1M,
      mmkPerRequest: pricingMmk.request,
    })),
  }
}
