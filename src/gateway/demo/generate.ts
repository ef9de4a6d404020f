import type { GenerationLog } from './generations'
import type { DemoModel } from './models'
import { costUsd } from './replies'

/** One planned answer: everything a reply needs, fixed before the first byte. */
export interface Plan {
  id: string
  model: DemoModel
  chat: boolean
  created: number
  promptTokens: number
  pieces: string[]
  finishReason: string
}

const PROVIDER = 'Sargalay Demo'
const encoder = new TextEncoder()

/** OpenRouter's usage object, cost included. */
export function usageOf(model: DemoModel, promptTokens: number, completionTokens: number) {
  const cost = costUsd(model, promptTokens, completionTokens)
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
    cost,
    is_byok: false,
    cost_details: {
      upstream_inference_cost: cost,
      upstream_inference_prompt_cost: costUsd(model, promptTokens, 0),
      upstream_inference_completions_cost: costUsd(model, 0, completionTokens),
    },
  }
}

/** An embeddings answer's usage: prompt tokens only. */
export function embeddingUsage(model: DemoModel, promptTokens: number) {
  const cost = costUsd(model, promptTokens, 0)
  return {
    prompt_tokens: promptTokens,
    total_tokens: promptTokens,
    cost,
    is_byok: false,
    cost_details: {
      upstream_inference_cost: cost,
      upstream_inference_prompt_cost: cost,
      upstream_inference_completions_cost: 0,
    },
  }
}

function choice(plan: Plan, content: string, finishReason: string | null, streamed: boolean) {
  const reason = { finish_reason: finishReason, native_finish_reason: finishReason, logprobs: null }
  if (!plan.chat) return { index: 0, text: content, ...reason }
  const role = 'assistant' as const
  if (streamed) return { index: 0, delta: { role, content }, ...reason }
  return { index: 0, message: { role, content, refusal: null, reasoning: null }, ...reason }
}

function envelope(plan: Plan, streamed: boolean) {
  const object = plan.chat ? 'chat.completion' : 'text_completion'
  return {
    id: plan.id,
    object: streamed && plan.chat ? 'chat.completion.chunk' : object,
    created: plan.created,
    model: plan.model.id,
    provider: PROVIDER,
  }
}

export function completeBody(plan: Plan, log: GenerationLog) {
  const completionTokens = plan.pieces.length
  record(plan, log, completionTokens, false, false)
  return {
    ...envelope(plan, false),
    system_fingerprint: null,
    choices: [choice(plan, plan.pieces.join(''), plan.finishReason, false)],
    usage: usageOf(plan.model, plan.promptTokens, completionTokens),
  }
}

/** The answer as SSE: a processing comment, one event per piece, the usage event, [DONE]. */
export function completeStream(plan: Plan, log: GenerationLog, delayMs: number) {
  let sent = 0
  let finished = false
  const event = (data: unknown) => encoder.encode(`data: ${JSON.stringify(data)}\n\n`)
  record(plan, log, 0, true, false)

  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(': OPENROUTER PROCESSING\n\n'))
    },
    async pull(controller) {
      if (delayMs > 0) await Bun.sleep(delayMs)
      if (sent < plan.pieces.length) {
        const last = sent === plan.pieces.length - 1
        const reason = last ? plan.finishReason : null
        controller.enqueue(
          event({
            ...envelope(plan, true),
            choices: [choice(plan, plan.pieces[sent]!, reason, true)],
          }),
        )
        sent++
        record(plan, log, sent, true, false)
        return
      }
      const usage = usageOf(plan.model, plan.promptTokens, sent)
      controller.enqueue(event({ ...envelope(plan, true), choices: [], usage }))
      controller.enqueue(encoder.encode('data: [DONE]\n\n'))
      finished = true
      controller.close()
    },
    cancel() {
      if (!finished) record(plan, log, sent, true, true)
    },
  })
}

function record(
  plan: Plan,
  log: GenerationLog,
  completionTokens: number,
  streamed: boolean,
  cancelled: boolean,
) {
  log.record({
    id: plan.id,
    model: plan.model.id,
    apiType: 'completions',
    streamed,
    cancelled,
    finishReason: cancelled ? null : plan.finishReason,
    promptTokens: plan.promptTokens,
    completionTokens,
    costUsd: costUsd(plan.model, plan.promptTokens, completionTokens),
    createdAt: plan.created * 1000,
  })
}
