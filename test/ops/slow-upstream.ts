import { gptMini, listBody } from '../catalog/fixtures'

export const MODEL = gptMini.id
export const COMPLETION_WORD = 'zawgyi-free-word'

/**
 * An OpenRouter-shaped upstream for the operations tests: one model, and chat answers that
 * stream one word every `everyMs` for `words` words (Infinity: never ends), then the usage
 * chunk with a cost. It has no generation records, so a cut stream is settled by estimate.
 */
export function slowUpstream(words: number, everyMs = 40) {
  const seen: { authorization: string | null; body: string }[] = []
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: async (request) => {
      const path = new URL(request.url).pathname
      if (path === '/api/v1/models') return Response.json(listBody([gptMini]))
      if (path === '/api/v1/embeddings/models') return Response.json(listBody([]))
      if (path !== '/api/v1/chat/completions') return new Response('not found', { status: 404 })
      seen.push({ authorization: request.headers.get('authorization'), body: await request.text() })
      const stream = JSON.parse(seen.at(-1)!.body).stream === true
      return stream ? streamed(words, everyMs, request.signal) : Response.json(whole())
    },
  })
  return { baseUrl: `http://127.0.0.1:${server.port}/api/v1`, seen, stop: () => server.stop(true) }
}

const chunk = (extra: object) =>
  `data: ${JSON.stringify({
    id: 'gen-ops-1',
    object: 'chat.completion.chunk',
    created: 1_778_031_306,
    model: MODEL,
    ...extra,
  })}\n\n`

function streamed(words: number, everyMs: number, signal: AbortSignal) {
  let sent = 0
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (signal.aborted) return controller.close()
      if (sent === words) {
        const usage = { prompt_tokens: 12, completion_tokens: words, total_tokens: 12 + words }
        controller.enqueue(
          encoder.encode(chunk({ choices: [], usage: { ...usage, cost: 0.00002 } })),
        )
        controller.enqueue(encoder.encode('data: [DONE]\n\n'))
        return controller.close()
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs))
      sent++
      const delta = { role: 'assistant', content: `${COMPLETION_WORD} ` }
      controller.enqueue(
        encoder.encode(chunk({ choices: [{ index: 0, delta, finish_reason: null }] })),
      )
    },
  })
  return new Response(body, {
    headers: { 'content-type': 'text/event-stream', 'x-generation-id': 'gen-ops-1' },
  })
}

function whole() {
  return {
    id: 'gen-ops-2',
    object: 'chat.completion',
    created: 1_778_031_306,
    model: MODEL,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: `${COMPLETION_WORD} ${COMPLETION_WORD}` },
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14, cost: 0.00001 },
  }
}
