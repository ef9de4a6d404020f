import { invalidRequest } from '../http/api-error'
import type { Endpoint } from './endpoints'
import type { RawBody } from '../http/read-body'

type Json = Record<string, unknown>

/** A client's request, checked just enough to price it and forward it. */
export interface ProxyRequest {
  json: Json
  model: string
  stream: boolean
  /** The client asked for the final usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean
  /** The client's own completion cap, if it set one. */
  maxTokens: number | undefined
  /** How many completions the upstream may write (`n`, or legacy `best_of`), each up to the cap. */
  completions: number
  raw: RawBody
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const missing = (field: string) =>
  invalidRequest(`The "${field}" field is required.`, field, 'missing_required_parameter')

const wrongType = (field: string, expected: string) =>
  invalidRequest(`The "${field}" field must be ${expected}.`, field, 'invalid_type')

/** Parses and checks a body; the upstream validates everything it forwards beyond this. */
export function parseRequest(endpoint: Endpoint, raw: RawBody): ProxyRequest {
  const json = parseObject(raw.text)
  if (typeof json.model !== 'string' || json.model === '') throw missing('model')
  checkPrompt(endpoint, json)
  if ('models' in json) {
    throw invalidRequest(
      'Fallback model lists ("models") are not supported: name one model, whose price we hold.',
      'models',
      'unsupported_parameter',
    )
  }

  const stream = readStream(endpoint, json)
  const options = json.stream_options
  return {
    json,
    model: json.model,
    stream,
    includeUsage: stream && isObject(options) && options.include_usage === true,
    maxTokens: endpoint.generates ? readMaxTokens(json) : undefined,
    completions: endpoint.generates ? readCompletions(json) : 1,
    raw,
  }
}

function parseObject(text: string): Json {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw invalidRequest('The request body is not valid JSON.', null, 'invalid_json')
  }
  if (!isObject(json)) {
    throw invalidRequest('The request body must be a JSON object.', null, 'invalid_json')
  }
  return json
}

function checkPrompt(endpoint: Endpoint, json: Json) {
  const field = endpoint.promptField
  const value = json[field]
  if (value === undefined || value === null) throw missing(field)
  if (field === 'messages') {
    if (!Array.isArray(value) || value.length === 0) {
      throw wrongType(field, 'a non-empty array of messages')
    }
    return
  }
  const nonEmptyList = Array.isArray(value) && value.length > 0
  if (typeof value !== 'string' && !nonEmptyList) {
    throw wrongType(field, 'a string or a non-empty array')
  }
}

function readStream(endpoint: Endpoint, json: Json): boolean {
  const stream = json.stream
  if (stream === undefined || stream === null) return false
  if (typeof stream !== 'boolean') throw wrongType('stream', 'true or false')
  if (stream && !endpoint.generates)
    throw invalidRequest('This endpoint does not stream.', 'stream')
  return stream
}

/** OpenAI allows up to 128 choices; `best_of` generates that many and returns `n`. */
const MAX_COMPLETIONS = 128

function readCompletions(json: Json): number {
  let completions = 1
  for (const field of ['n', 'best_of']) {
    const value = json[field]
    if (value === undefined || value === null) continue
    const fits = typeof value === 'number' && Number.isSafeInteger(value)
    if (!fits || value < 1 || value > MAX_COMPLETIONS) {
      throw wrongType(field, `a whole number from 1 to ${MAX_COMPLETIONS}`)
    }
    completions = Math.max(completions, value)
  }
  return completions
}

/** The client's cap; with both fields set, the larger, since we cannot know which one binds. */
function readMaxTokens(json: Json): number | undefined {
  let cap: number | undefined
  for (const field of ['max_completion_tokens', 'max_tokens']) {
    const value = json[field]
    if (value === undefined || value === null) continue
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw wrongType(field, 'a whole number of at least 1')
    }
    cap = Math.max(cap ?? 0, value)
  }
  return cap
}
