/**
 * A fast OpenRouter-shaped upstream for the benchmarks, run as its own process:
 * `PORT=0 bun bench/servers/upstream.ts` prints `listening <url>` once it answers.
 *
 * Non-streaming answers are one pre-serialized body, so the upstream costs as little as it can.
 * Each streamed chunk carries the wall-clock time it was sent (µs precision) in its content,
 * which lets the client measure how long every chunk took to reach it through a proxy.
 */

interface StreamShape {
  chunks: number
  delayMs: number
}

const shape: StreamShape = { chunks: 20, delayMs: 5 }
let models = modelList(Number(process.env.BENCH_MODELS ?? 400))

const encoder = new TextEncoder()
const usage = {
  prompt_tokens: 12,
  completion_tokens: 9,
  total_tokens: 21,
  cost: 0.0000063,
  is_byok: false,
  cost_details: {
    upstream_inference_cost: 0.0000063,
    upstream_inference_prompt_cost: 0.0000018,
    upstream_inference_completions_cost: 0.0000045,
  },
}
const completionBody = JSON.stringify({
  id: 'gen-bench-0001',
  object: 'chat.completion',
  created: 1796300000,
  model: 'bench/fast-model',
  provider: 'Bench',
  system_fingerprint: null,
  choices: [
    {
      index: 0,
      finish_reason: 'stop',
      native_finish_reason: 'stop',
      logprobs: null,
      message: { role: 'assistant', content: 'Hello from the bench.', refusal: null },
    },
  ],
  usage,
})
const jsonHeaders = { 'content-type': 'application/json' }

const wallClock = () => performance.timeOrigin + performance.now()

function modelList(count: number) {
  const data = Array.from({ length: count }, (_, i) => ({
    id: i === 0 ? 'bench/fast-model' : `bench-${i % 20}/model-${i}`,
    canonical_slug: `bench/model-${i}`,
    name: `Bench: Model ${i}`,
    created: 1790000000 + i,
    description: `Synthetic model ${i} for benchmarks, good at ${i % 2 ? 'code' : 'chat'}.`,
    context_length: 8192 * (1 + (i % 16)),
    architecture: {
      modality: 'text->text',
      input_modalities: i % 3 ? ['text'] : ['text', 'image'],
      output_modalities: ['text'],
      tokenizer: 'Other',
      instruct_type: null,
    },
    pricing: {
      prompt: i % 10 === 5 ? '0' : '0.00000015',
      completion: i % 10 === 5 ? '0' : '0.0000005',
      request: '0',
    },
    top_provider: { context_length: 8192, max_completion_tokens: 4096, is_moderated: false },
    per_request_limits: null,
    supported_parameters: ['max_tokens', 'temperature', 'stream'],
    default_parameters: null,
    supported_voices: null,
    links: { details: `/api/v1/models/bench/model-${i}/endpoints` },
  }))
  return JSON.stringify({ data, total_count: count, links: { next: null } })
}

function chunk(content: string) {
  const event = {
    id: 'gen-bench-0002',
    object: 'chat.completion.chunk',
    created: 1796300000,
    model: 'bench/fast-model',
    provider: 'Bench',
    choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }],
  }
  return encoder.encode(`data: ${JSON.stringify(event)}\n\n`)
}

function usageChunk() {
  const event = {
    id: 'gen-bench-0002',
    object: 'chat.completion.chunk',
    created: 1796300000,
    model: 'bench/fast-model',
    provider: 'Bench',
    choices: [],
    usage,
  }
  return encoder.encode(`data: ${JSON.stringify(event)}\n\ndata: [DONE]\n\n`)
}

function eventStream(signal: AbortSignal) {
  const { chunks, delayMs } = shape
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      for (let i = 0; i < chunks && !signal.aborted; i++) {
        if (i > 0 && delayMs > 0) await Bun.sleep(delayMs)
        controller.enqueue(chunk(`@${wallClock().toFixed(3)} `))
      }
      if (!signal.aborted) controller.enqueue(usageChunk())
      controller.close()
    },
  })
}

async function chatCompletions(request: Request) {
  const body = (await request.json()) as { stream?: boolean }
  if (!body.stream) return new Response(completionBody, { headers: jsonHeaders })
  return new Response(eventStream(request.signal), {
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
  })
}

const generation = JSON.stringify({
  data: { id: 'gen-bench-0002', total_cost: usage.cost, tokens_prompt: 12, tokens_completion: 9 },
})

const upstream = Bun.serve({
  port: Number(process.env.PORT ?? 0),
  hostname: '127.0.0.1',
  idleTimeout: 120,
  async fetch(request) {
    const path = new URL(request.url).pathname.replace(/^\/api\/v1/, '').replace(/^\/v1/, '')
    if (path === '/chat/completions' && request.method === 'POST') return chatCompletions(request)
    if (path === '/models') return new Response(models, { headers: jsonHeaders })
    if (path === '/embeddings/models') return Response.json({ data: [], total_count: 0 })
    if (path === '/generation') return new Response(generation, { headers: jsonHeaders })
    if (path === '/__bench/shape' && request.method === 'POST') {
      Object.assign(shape, await request.json())
      return Response.json(shape)
    }
    if (path === '/__bench/models' && request.method === 'POST') {
      models = modelList(((await request.json()) as { count: number }).count)
      return Response.json({ ok: true })
    }
    return Response.json({ error: { code: 404, message: 'not found' } }, { status: 404 })
  },
})

console.log(`listening ${upstream.url.href.replace(/\/$/, '')}`)
