/**
 * The demo upstream's models. Prices are USD per token as OpenRouter writes them; `billed`
 * is what a request really costs where the listed price is the router's "-1" (unknown).
 */
export interface DemoModel {
  id: string
  name: string
  kind: 'chat' | 'embedding'
  description: string
  contextLength: number
  prompt: string
  completion: string
  request: string
  billed?: { prompt: string; completion: string }
}

export const demoModels: DemoModel[] = [
  {
    id: 'demo/swift-chat',
    name: 'Demo: Swift Chat',
    kind: 'chat',
    description: 'A small, cheap demo model. Replies are synthetic.',
    contextLength: 128_000,
    prompt: '0.00000015',
    completion: '0.0000006',
    request: '0',
  },
  {
    id: 'demo/deep-chat',
    name: 'Demo: Deep Chat',
    kind: 'chat',
    description: 'A larger, pricier demo model. Replies are synthetic.',
    contextLength: 200_000,
    prompt: '0.000003',
    completion: '0.000015',
    request: '0',
  },
  {
    id: 'demo/free-chat:free',
    name: 'Demo: Free Chat (free)',
    kind: 'chat',
    description: 'A free demo model. Replies are synthetic.',
    contextLength: 32_768,
    prompt: '0',
    completion: '0',
    request: '0',
  },
  {
    id: 'demo/auto',
    name: 'Demo: Auto Router',
    kind: 'chat',
    description: 'Routes to a demo model; its price varies by route, so none is listed.',
    contextLength: 128_000,
    prompt: '-1',
    completion: '-1',
    request: '-1',
    billed: { prompt: '0.000001', completion: '0.000002' },
  },
  {
    id: 'demo/embed-small',
    name: 'Demo: Embed Small',
    kind: 'embedding',
    description: 'A demo embedding model with 16 dimensions. Vectors are synthetic.',
    contextLength: 8_192,
    prompt: '0.00000002',
    completion: '0',
    request: '0',
  },
]

export const demoModelById = new Map(demoModels.map((model) => [model.id, model]))

/** The model as OpenRouter's `/models` lists it. */
export function listedModel(model: DemoModel, created: number) {
  const chat = model.kind === 'chat'
  return {
    id: model.id,
    canonical_slug: model.id,
    hugging_face_id: null,
    name: model.name,
    created,
    description: model.description,
    context_length: model.contextLength,
    architecture: {
      modality: chat ? 'text->text' : 'text->embeddings',
      input_modalities: ['text'],
      output_modalities: [chat ? 'text' : 'embeddings'],
      tokenizer: 'Other',
      instruct_type: null,
    },
    pricing: { prompt: model.prompt, completion: model.completion, request: model.request },
    top_provider: {
      context_length: model.contextLength,
      max_completion_tokens: chat ? 16_384 : null,
      is_moderated: false,
    },
    per_request_limits: null,
    supported_parameters: chat ? ['max_tokens', 'stop', 'temperature', 'top_p'] : [],
    default_parameters: null,
    supported_voices: null,
    links: { details: `/api/v1/models/${model.id}/endpoints` },
  }
}
