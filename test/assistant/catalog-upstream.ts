/**
 * A local upstream that serves a small model list, so the catalog the assistant searches is
 * the real catalog, filled the way production fills it.
 */
const model = (
  id: string,
  name: string,
  description: string,
  prompt: string,
  completion: string,
  contextLength: number,
  input = ['text'],
) => ({
  id,
  name,
  description,
  created: 1_750_000_000,
  context_length: contextLength,
  architecture: { input_modalities: input, output_modalities: ['text'] },
  pricing: { prompt, completion, request: '0', image: '0' },
})

export const testModels = [
  model(
    'qwen/qwen-coder',
    'Qwen Coder',
    'A code model for programming tasks.',
    '0.0000001',
    '0.0000002',
    32_000,
  ),
  model(
    'anthropic/claude-sonnet-4',
    'Claude Sonnet 4',
    'Strong at code and reasoning.',
    '0.000003',
    '0.000015',
    200_000,
    ['text', 'image'],
  ),
  model('google/gemma-3', 'Gemma 3', 'A small open chat model.', '0', '0', 8_000),
]

export function startCatalogUpstream() {
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch(request) {
      const path = new URL(request.url).pathname
      if (path === '/v1/models') return Response.json({ data: testModels })
      return new Response('not found', { status: 404 })
    },
  })
  return {
    upstream: { baseUrl: `http://127.0.0.1:${server.port}/v1`, apiKey: 'up-test-key', demo: false },
    stop: () => server.stop(true),
  }
}
