/**
 * Upstream model lists shaped like OpenRouter's `/models` answer (PROTOCOLS.md §1.1). The three
 * chat models follow the documented example; the router and the embedding model add the cases
 * the catalog must handle: a "-1" price and a separate embeddings list.
 */
export type UpstreamModel = Record<string, unknown> & { id: string }

export const claude: UpstreamModel = {
  id: 'anthropic/claude-sonnet-4',
  canonical_slug: 'anthropic/claude-4-sonnet-20250522',
  hugging_face_id: null,
  name: 'Anthropic: Claude Sonnet 4',
  created: 1747930371,
  description: 'Claude Sonnet 4 significantly enhances coding and reasoning.',
  context_length: 200000,
  architecture: {
    modality: 'text+image->text',
    input_modalities: ['image', 'text', 'file'],
    output_modalities: ['text'],
    tokenizer: 'Claude',
    instruct_type: null,
  },
  pricing: {
    prompt: '0.000003',
    completion: '0.000015',
    request: '0',
    image: '0.0048',
    web_search: '0.01',
    internal_reasoning: '0',
    input_cache_read: '0.0000003',
    input_cache_write: '0.00000375',
  },
  top_provider: { context_length: 200000, max_completion_tokens: 64000, is_moderated: true },
  per_request_limits: null,
  supported_parameters: ['max_tokens', 'reasoning', 'temperature', 'tools'],
  default_parameters: null,
  supported_voices: null,
  expiration_date: null,
  knowledge_cutoff: null,
  links: { details: '/api/v1/models/anthropic/claude-sonnet-4/endpoints' },
  reasoning: { mandatory: false, default_enabled: false, supports_max_tokens: true },
}

export const gptMini: UpstreamModel = {
  id: 'openai/gpt-4o-mini',
  canonical_slug: 'openai/gpt-4o-mini',
  hugging_face_id: null,
  name: 'OpenAI: GPT-4o-mini',
  created: 1721260800,
  description: "GPT-4o mini is OpenAI's newest model after GPT-4 Omni.",
  context_length: 128000,
  architecture: {
    modality: 'text+image->text',
    input_modalities: ['text', 'image', 'file'],
    output_modalities: ['text'],
    tokenizer: 'GPT',
    instruct_type: null,
  },
  pricing: {
    prompt: '0.00000015',
    completion: '0.0000006',
    request: '0',
    image: '0.000217',
    web_search: '0',
    internal_reasoning: '0',
    input_cache_read: '0.000000075',
  },
  top_provider: { context_length: 128000, max_completion_tokens: 16384, is_moderated: true },
  per_request_limits: null,
  supported_parameters: ['max_tokens', 'seed', 'temperature', 'tools'],
  default_parameters: null,
  supported_voices: null,
  expiration_date: null,
  links: { details: '/api/v1/models/openai/gpt-4o-mini/endpoints' },
}

export const gemini: UpstreamModel = {
  id: 'google/gemini-2.5-pro',
  canonical_slug: 'google/gemini-2.5-pro',
  hugging_face_id: '',
  name: 'Google: Gemini 2.5 Pro',
  created: 1750169544,
  description: "Gemini 2.5 Pro is Google's state-of-the-art AI model.",
  context_length: 1048576,
  architecture: {
    modality: 'text+image+file+audio->text',
    input_modalities: ['file', 'image', 'text', 'audio'],
    output_modalities: ['text'],
    tokenizer: 'Gemini',
    instruct_type: null,
  },
  pricing: {
    prompt: '0.00000125',
    completion: '0.00001',
    request: '0',
    image: '0.00516',
    input_cache_read: '0.00000031',
    overrides: [{ min_prompt_tokens: 200000, prompt: '0.0000025', completion: '0.000015' }],
  },
  top_provider: { context_length: 1048576, max_completion_tokens: 65536, is_moderated: false },
  per_request_limits: null,
  supported_parameters: ['max_tokens', 'reasoning', 'temperature', 'tools'],
  default_parameters: null,
  supported_voices: null,
  links: { details: '/api/v1/models/google/gemini-2.5-pro/endpoints' },
  reasoning: { mandatory: true, default_enabled: true, default_effort: 'medium' },
}

export const autoRouter: UpstreamModel = {
  id: 'openrouter/auto',
  canonical_slug: 'openrouter/auto',
  name: 'Auto Router',
  created: 1699401600,
  description: 'Your prompt will be processed by a meta-model and routed to the best model.',
  context_length: 2000000,
  architecture: {
    modality: 'text->text',
    input_modalities: ['text'],
    output_modalities: ['text'],
    tokenizer: 'Router',
    instruct_type: null,
  },
  pricing: { prompt: '-1', completion: '-1' },
  top_provider: { context_length: null, max_completion_tokens: null, is_moderated: false },
  per_request_limits: null,
  supported_parameters: [],
  default_parameters: null,
  supported_voices: null,
  links: { details: '/api/v1/models/openrouter/auto/endpoints' },
}

export const embedding: UpstreamModel = {
  id: 'openai/text-embedding-3-small',
  canonical_slug: 'openai/text-embedding-3-small',
  name: 'OpenAI: Text Embedding 3 Small',
  created: 1705968000,
  description: 'A small, efficient embedding model.',
  context_length: 8192,
  architecture: {
    modality: 'text->embeddings',
    input_modalities: ['text'],
    output_modalities: ['embeddings'],
    tokenizer: 'GPT',
    instruct_type: null,
  },
  pricing: { prompt: '0.00000002', completion: '0' },
  top_provider: { context_length: 8192, max_completion_tokens: null, is_moderated: false },
  per_request_limits: null,
  supported_parameters: [],
  default_parameters: null,
  supported_voices: null,
  links: { details: '/api/v1/models/openai/text-embedding-3-small/endpoints' },
}

export const chatModels = [claude, gptMini, gemini, autoRouter]
export const embeddingModels = [embedding]

/** A copy of a model with some fields replaced; `pricing` is merged, not replaced. */
export function changed(model: UpstreamModel, changes: Record<string, unknown>): UpstreamModel {
  const pricing = { ...(model.pricing as object), ...((changes.pricing as object) ?? {}) }
  return { ...model, ...changes, pricing }
}

export const listBody = (models: UpstreamModel[]) => ({
  data: models,
  total_count: models.length,
  links: { next: null },
})
