import { randomBytes } from 'node:crypto'

/** What the demo remembers of a generation, as `GET /generation?id=` reports it. */
export interface DemoGeneration {
  id: string
  model: string
  apiType: 'completions' | 'embeddings'
  streamed: boolean
  cancelled: boolean
  finishReason: string | null
  promptTokens: number
  completionTokens: number
  costUsd: number
  createdAt: number
}

const KEEP = 10_000
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

export function generationId(now = Date.now()): string {
  let tail = ''
  for (const byte of randomBytes(20)) tail += alphabet[byte % alphabet.length]
  return `gen-${Math.floor(now / 1000)}-${tail}`
}

/** The most recent generations, oldest dropped first. */
export class GenerationLog {
  private readonly byId = new Map<string, DemoGeneration>()

  record(generation: DemoGeneration) {
    this.byId.delete(generation.id)
    this.byId.set(generation.id, generation)
    if (this.byId.size > KEEP) this.byId.delete(this.byId.keys().next().value!)
  }

  /** OpenRouter's `GenerationResponse` body, or undefined for an unknown id. */
  lookup(id: string) {
    const found = this.byId.get(id)
    if (!found) return undefined
    return {
      data: {
        id: found.id,
        upstream_id: null,
        total_cost: found.costUsd,
        cache_discount: null,
        upstream_inference_cost: found.costUsd,
        created_at: new Date(found.createdAt).toISOString(),
        model: found.model,
        app_id: null,
        streamed: found.streamed,
        cancelled: found.cancelled,
        provider_name: 'Sargalay Demo',
        latency: 0,
        moderation_latency: null,
        generation_time: 0,
        finish_reason: found.finishReason,
        native_finish_reason: found.finishReason,
        tokens_prompt: found.promptTokens,
        tokens_completion: found.completionTokens,
        native_tokens_prompt: found.promptTokens,
        native_tokens_completion: found.completionTokens,
        native_tokens_reasoning: 0,
        native_tokens_cached: 0,
        usage: found.costUsd,
        is_byok: false,
        api_type: found.apiType,
        origin: '',
      },
    }
  }
}
