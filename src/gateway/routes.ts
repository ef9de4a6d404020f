import { Elysia, type DocumentDecoration } from 'elysia'
import { KeyLimits } from '../http/key-limits'
import type { Services } from '../services'
import { chatEndpoint, completionsEndpoint, embeddingsEndpoint, type Endpoint } from './endpoints'
import type { GatewayParts } from './exchange'
import { keyInfo } from './key-route'
import { gatewayMetrics } from './metrics'
import { proxyHandler } from './proxy'
import * as s from './schemas'
import { KeySpend } from './spend'

const errorAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
})

function proxyDetail(summary: string, body: object, endpoint: Endpoint): DocumentDecoration {
  const detail = {
    summary,
    tags: ['gateway'],
    requestBody: { required: true, content: { 'application/json': { schema: body } } },
    responses: {
      200: {
        description: endpoint.generates
          ? 'The answer; with `"stream": true`, server-sent events ending in `data: [DONE]`'
          : 'The embeddings',
        content: {
          'application/json': { schema: s.proxiedAnswer },
          ...(endpoint.generates ? { 'text/event-stream': { schema: { type: 'string' } } } : {}),
        },
      },
      402: errorAnswer('The available balance cannot cover the most this request may cost'),
      404: errorAnswer('No such model'),
      413: errorAnswer('The body is larger than the limit'),
      429: errorAnswer(
        'The key is over its requests per minute, requests at once or spend cap, or the ' +
          'upstream is rate limiting; see Retry-After',
      ),
      502: errorAnswer('The upstream failed'),
      503: errorAnswer('The upstream is unavailable'),
      504: errorAnswer('The upstream did not answer in time'),
    },
  }
  // TypeBox schemas are JSON Schema, which the OpenAPI 3.0 types of `detail` do not describe.
  return detail as DocumentDecoration
}

/**
 * The OpenAI-compatible proxy (`/v1/chat/completions`, `/v1/completions`, `/v1/embeddings`)
 * and `/v1/key`.
 */
export function gatewayRoutes(services: Services) {
  const { config, clock } = services
  const spend = new KeySpend(services.db, clock.now())
  const limits = new KeyLimits({
    requestsPerMinute: config.KEY_REQUESTS_PER_MINUTE,
    concurrentRequests: config.KEY_CONCURRENT_REQUESTS,
    maxKeys: config.LIMITER_MAX_KEYS,
    clock,
    spend,
  })
  const parts: GatewayParts = { services, metrics: gatewayMetrics(services.metrics), spend, limits }
  const chat = proxyHandler(parts, chatEndpoint)
  const completions = proxyHandler(parts, completionsEndpoint)
  const embeddings = proxyHandler(parts, embeddingsEndpoint)

  return new Elysia({ name: 'gateway' })
    .post('/v1/chat/completions', ({ request }) => chat(request), {
      parse: 'none',
      detail: proxyDetail('Create a chat completion', s.chatRequest, chatEndpoint),
    })
    .post('/v1/completions', ({ request }) => completions(request), {
      parse: 'none',
      detail: proxyDetail(
        'Create a text completion (legacy)',
        s.completionRequest,
        completionsEndpoint,
      ),
    })
    .post('/v1/embeddings', ({ request }) => embeddings(request), {
      parse: 'none',
      detail: proxyDetail('Create embeddings', s.embeddingRequest, embeddingsEndpoint),
    })
    .get('/v1/key', ({ request }) => keyInfo(parts, request), {
      response: { 200: s.keyInfo },
      detail: { summary: 'Read the calling key’s balance and spend', tags: ['gateway'] },
    })
}
