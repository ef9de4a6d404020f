import type { ModelKind } from '../catalog/types'

/**
 * The proxied endpoints as data: one handler serves them all, so they cannot drift apart.
 * `promptField` is the field a request must carry besides `model`.
 */
export interface Endpoint {
  /** Stored as the usage record's `endpoint`. */
  name: 'chat.completions' | 'completions' | 'embeddings'
  route: string
  upstreamPath: string
  kind: ModelKind
  promptField: 'messages' | 'prompt' | 'input'
  /** Produces completion tokens, so `max_tokens` applies and streaming is possible. */
  generates: boolean
}

export const chatEndpoint: Endpoint = {
  name: 'chat.completions',
  route: '/v1/chat/completions',
  upstreamPath: '/chat/completions',
  kind: 'chat',
  promptField: 'messages',
  generates: true,
}

export const completionsEndpoint: Endpoint = {
  name: 'completions',
  route: '/v1/completions',
  upstreamPath: '/completions',
  kind: 'chat',
  promptField: 'prompt',
  generates: true,
}

export const embeddingsEndpoint: Endpoint = {
  name: 'embeddings',
  route: '/v1/embeddings',
  upstreamPath: '/embeddings',
  kind: 'embedding',
  promptField: 'input',
  generates: false,
}
