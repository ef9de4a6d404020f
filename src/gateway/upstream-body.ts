import type { Endpoint } from './endpoints'
import type { ProxyRequest } from './parse-request'

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The body sent upstream: the client's, asking for usage (and the final usage chunk when
 * streaming) and capped at `allowance` completion tokens when the client set no cap. The
 * usual case appends the missing fields to the client's own text instead of re-serializing;
 * only a client that set one of them to something else gets its body rebuilt.
 */
export function upstreamBody(endpoint: Endpoint, request: ProxyRequest, allowance: number) {
  if (!endpoint.generates) return request.raw.text
  const { json } = request
  const additions: string[] = []
  let rebuild = false

  if (!('usage' in json)) additions.push('"usage":{"include":true}')
  else rebuild ||= !(isObject(json.usage) && json.usage.include === true)

  if (request.stream && !('stream_options' in json)) {
    additions.push('"stream_options":{"include_usage":true}')
  } else if (request.stream) {
    rebuild ||= !request.includeUsage
  }

  if (request.maxTokens === undefined) {
    if (!('max_tokens' in json) && !('max_completion_tokens' in json)) {
      additions.push(`"max_tokens":${allowance}`)
    } else rebuild = true
  }

  if (rebuild) return rebuilt(request, allowance)
  if (additions.length === 0) return request.raw.text
  const text = request.raw.text
  return `${text.slice(0, text.lastIndexOf('}'))},${additions.join(',')}}`
}

function rebuilt(request: ProxyRequest, allowance: number): string {
  const body: Json = { ...request.json, usage: { include: true } }
  if (request.stream) {
    const options = isObject(body.stream_options) ? body.stream_options : {}
    body.stream_options = { ...options, include_usage: true }
  }
  if (request.maxTokens === undefined) {
    delete body.max_completion_tokens
    body.max_tokens = allowance
  }
  return JSON.stringify(body)
}
