import { completeBody, completeStream, embeddingUsage, type Plan } from './generate'
import { GenerationLog, generationId } from './generations'
import { demoModelById, demoModels, listedModel, type DemoModel } from './models'
import {
  chatPromptTokens,
  countTokens,
  embeddingBase64,
  embeddingOf,
  lastUserText,
  replyPieces,
} from './replies'

export interface DemoUpstreamOptions {
  /** Pause before each streamed event; 0 streams as fast as possible (benchmarks). */
  chunkDelayMs?: number
  port?: number
}

export interface DemoUpstream {
  /** Like OpenRouter's `https://openrouter.ai/api/v1`. */
  baseUrl: string
  stop(): Promise<void>
}

type Json = Record<string, unknown>

const CREATED = 1_764_547_200
const PREFIX = '/api/v1'

/**
 * An offline, OpenRouter-shaped upstream on the loopback interface: model lists, chat and
 * legacy completions (whole or streamed), embeddings and generation records. Replies are
 * synthetic and deterministic; usage carries a realistic USD cost.
 */
export function startDemoUpstream(options: DemoUpstreamOptions = {}): DemoUpstream {
  const log = new GenerationLog()
  const delayMs = options.chunkDelayMs ?? 0
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: options.port ?? 0,
    fetch: (request) => route(request, log, delayMs),
  })
  return {
    baseUrl: `http://127.0.0.1:${server.port}${PREFIX}`,
    stop: () => server.stop(true),
  }
}

async function route(request: Request, log: GenerationLog, delayMs: number): Promise<Response> {
  const url = new URL(request.url)
  const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : ''
  const post = request.method === 'POST'

  if (path === '/models') return listModels(url.searchParams.get('output_modalities'))
  if (path === '/embeddings/models') return listModels('embeddings')
  if (path === '/generation') return generation(log, url.searchParams.get('id'))
  if (post && path === '/chat/completions') return complete(request, log, delayMs, true)
  if (post && path === '/completions') return complete(request, log, delayMs, false)
  if (post && path === '/embeddings') return embed(request, log)
  return failure(404, 'Not Found')
}

function listModels(modalities: string | null) {
  const wanted = (modalities ?? 'text').split(',')
  const all = wanted.includes('all')
  const data = demoModels
    .filter((m) => all || wanted.includes(m.kind === 'chat' ? 'text' : 'embeddings'))
    .map((model) => listedModel(model, CREATED))
  return Response.json({ data, total_count: data.length, links: { next: null } })
}

function generation(log: GenerationLog, id: string | null) {
  const found = id ? log.lookup(id) : undefined
  return found ? Response.json(found) : failure(404, `Generation ${id} not found`)
}

async function complete(request: Request, log: GenerationLog, delayMs: number, chat: boolean) {
  const body = await readJson(request)
  if (!body) return failure(400, 'Invalid JSON body')
  const model = findModel(body.model, 'chat')
  if (!model) return failure(400, `${String(body.model)} is not a valid model ID`)
  const prompt = chat ? chatPrompt(body) : legacyPrompt(body)
  if (!prompt) return failure(400, chat ? 'messages is required' : 'prompt is required')

  const maxTokens = body.max_completion_tokens ?? body.max_tokens
  const reply = replyPieces(prompt.text, typeof maxTokens === 'number' ? maxTokens : undefined)
  const plan: Plan = {
    id: generationId(),
    model,
    chat,
    created: Math.floor(Date.now() / 1000),
    promptTokens: prompt.tokens,
    pieces: reply.pieces,
    finishReason: reply.finishReason,
  }
  const headers = { 'x-generation-id': plan.id }
  if (body.stream !== true) return Response.json(completeBody(plan, log), { headers })
  return new Response(completeStream(plan, log, delayMs), {
    headers: { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
  })
}

function chatPrompt(body: Json) {
  if (!Array.isArray(body.messages) || body.messages.length === 0) return undefined
  const messages = body.messages as Json[]
  return { text: lastUserText(messages), tokens: chatPromptTokens(messages) }
}

function legacyPrompt(body: Json) {
  const texts = typeof body.prompt === 'string' ? [body.prompt] : body.prompt
  if (!Array.isArray(texts) || texts.length === 0) return undefined
  const text = texts.map(String).join('\n')
  return { text, tokens: countTokens(text) }
}

async function embed(request: Request, log: GenerationLog) {
  const body = await readJson(request)
  if (!body) return failure(400, 'Invalid JSON body')
  const model = findModel(body.model, 'embedding')
  if (!model) return failure(400, `${String(body.model)} is not a valid embedding model ID`)
  const inputs = typeof body.input === 'string' ? [body.input] : body.input
  if (!Array.isArray(inputs) || inputs.length === 0) return failure(400, 'input is required')

  const base64 = body.encoding_format === 'base64'
  const texts = inputs.map((input) => (typeof input === 'string' ? input : JSON.stringify(input)))
  const data = texts.map((text, index) => {
    const vector = embeddingOf(text)
    return { object: 'embedding', embedding: base64 ? embeddingBase64(vector) : vector, index }
  })
  const promptTokens = texts.reduce((sum, text) => sum + countTokens(text), 0)
  const usage = embeddingUsage(model, promptTokens)
  const id = generationId()
  log.record({
    id,
    model: model.id,
    apiType: 'embeddings',
    streamed: false,
    cancelled: false,
    finishReason: null,
    promptTokens,
    completionTokens: 0,
    costUsd: usage.cost,
    createdAt: Date.now(),
  })
  return Response.json(
    { id, object: 'list', data, model: model.id, provider: 'Sargalay Demo', usage },
    { headers: { 'x-generation-id': id } },
  )
}

function findModel(id: unknown, kind: DemoModel['kind']) {
  const model = typeof id === 'string' ? demoModelById.get(id) : undefined
  return model?.kind === kind ? model : undefined
}

async function readJson(request: Request): Promise<Json | undefined> {
  try {
    const body = await request.json()
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? body : undefined
  } catch {
    return undefined
  }
}

/** OpenRouter's error body: the HTTP status repeated as `error.code`. */
function failure(status: number, message: string) {
  return Response.json({ error: { code: status, message } }, { status })
}
