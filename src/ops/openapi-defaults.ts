import { adminError } from '../admin/schemas'

/**
 * Fills what every API operation shares, so each route need not repeat it: the error answers
 * every route can give (500 always, 401 where a key is required, 400 where there is input) and
 * the key a part's routes require.
 */
type Operation = {
  security?: Record<string, string[]>[]
  requestBody?: unknown
  parameters?: unknown[]
  responses?: Record<string, unknown>
}
type Paths = Record<string, Record<string, Operation>>

const errorRef = { $ref: '#/components/schemas/ApiError' }
const errorAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorRef } },
})

// The model list is public, as the portal and SDKs read it before a key exists.
const publicPaths = /^\/v1\/models(\/|$)/

const securityByPrefix: [string, Record<string, string[]>[]][] = [
  ['/v1/', [{ apiKey: [] }]],
  ['/admin/', [{ adminKey: [] }]],
  ['/metrics', [{ adminKey: [] }]],
]

export const securitySchemes = {
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'A Sargalay API key (`sk-sg-…`), made in the portal or by the admin API.',
  },
  adminKey: { type: 'http', scheme: 'bearer', description: 'The operator’s ADMIN_KEY.' },
}

export const sharedSchemas = { ApiError: JSON.parse(JSON.stringify(adminError)) as object }

// Webhook routes read the raw bytes to verify the signature, so they declare no body schema.
const callback = {
  required: true,
  description: 'The provider’s callback as it sent it; its signature covers the raw bytes.',
  content: { 'application/json': { schema: { type: 'object' } } },
}

const securityFor = (path: string) =>
  securityByPrefix.find(([prefix]) => path.startsWith(prefix))?.[1]

export function withOperationDefaults(paths: Paths): Paths {
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!publicPaths.test(path)) operation.security ??= securityFor(path)
      if (path.startsWith('/webhooks/') && method === 'post') operation.requestBody ??= callback
      const responses = (operation.responses ??= {})
      for (const answer of Object.values(responses)) dropBodilessContent(answer)
      if (!responses['500']) responses['500'] = errorAnswer('An error on our side; quote the id')
      if (operation.security?.length && !responses['401']) {
        responses['401'] = errorAnswer('The key is missing, unknown or revoked')
      }
      const hasInput = operation.requestBody !== undefined || operation.parameters?.length
      if (hasInput && !responses['400']) responses['400'] = errorAnswer('The request is invalid')
    }
  }
  return paths
}

/**
 * @elysiajs/openapi renders a `t.Void()` answer (a 204) as `content: {type: 'void'}`, which is
 * not a media-type map and makes the document invalid; such an answer has no body.
 */
function dropBodilessContent(answer: unknown) {
  if (typeof answer !== 'object' || answer === null || !('content' in answer)) return
  const content = answer.content
  if (typeof content !== 'object' || content === null) return
  if (Object.keys(content).some((type) => !type.includes('/'))) delete answer.content
}
