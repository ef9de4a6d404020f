import { GENERATION_ID } from './generation-id'
import { stripObject, stripUpstreamFields } from './sanitize'
import { clientUsage } from './usage'

type Json = Record<string, unknown>

/** What the relay learns from the events as they pass. */
export interface EventSink {
  /**
   * The upstream's usage arrived; answers the charge in units, for `cost_mmk`, or undefined
   * when the usage says too little to bill by and the charge is settled later.
   */
  usage(usage: Json): number | undefined
  /** A mid-stream error event. */
  error(error: Json): void
  /** An event carrying part of the answer. */
  content(): void
  /** True until the upstream's generation id is known. */
  readonly wantsGenerationId: boolean
  generationId(id: string): void
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Our own SSE comment: OpenAI clients skip it, and it keeps idle connections open. */
export const KEEP_ALIVE = ': keep-alive'

/**
 * One SSE event (without its blank line) as the client should see it, or null to drop it.
 * An upstream comment becomes our own keep-alive, keeping its timing but not its text (which
 * names the upstream), and so does an event without data, which OpenAI's SDKs cannot read.
 * `[DONE]` passes untouched; ordinary chunks lose upstream-only fields without being parsed;
 * only events mentioning usage or an error, or spread over several lines, are parsed.
 */
export function rewriteEvent(event: string, includeUsage: boolean, sink: EventSink): string | null {
  if (event.length === 0) return event
  if (isComment(event)) return KEEP_ALIVE
  const single = event.startsWith('data: ') && !event.includes('\n')
  const data = single ? event.slice(6) : dataOf(event)
  if (data === null) return KEEP_ALIVE
  if (data === '[DONE]') return single ? event : 'data: [DONE]'

  // A chunk cut short or garbled fails this cheap test and goes the parsed way, which turns
  // it into an error event rather than relaying bytes no client can read.
  const whole = data.charCodeAt(0) === 123 && data.charCodeAt(data.length - 1) === 125
  if (single && whole && !data.includes('"usage"') && !data.includes('"error"')) {
    sink.content()
    const match = sink.wantsGenerationId ? GENERATION_ID.exec(data) : null
    if (match) sink.generationId(match[1]!)
    const stripped = stripUpstreamFields(data)
    return stripped === data ? event : `data: ${stripped}`
  }
  return rewriteParsed(data, includeUsage, sink)
}

/** True when every line of the event is a comment. */
function isComment(event: string) {
  if (event.charCodeAt(0) !== 58) return false
  return !event.includes('\n') || event.split('\n').every((line) => line.charCodeAt(0) === 58)
}

function rewriteParsed(data: string, includeUsage: boolean, sink: EventSink): string | null {
  let chunk: unknown
  try {
    chunk = JSON.parse(data)
  } catch {
    return malformed(sink)
  }
  if (!isObject(chunk)) return malformed(sink)
  if (typeof chunk.id === 'string' && chunk.id.startsWith('gen-')) sink.generationId(chunk.id)
  stripObject(chunk)

  if (isObject(chunk.error)) {
    sink.error(chunk.error)
    if (isObject(chunk.usage)) sink.usage(chunk.usage)
    return errorEvent(chunk.error)
  }
  const charged = isObject(chunk.usage) ? sink.usage(chunk.usage) : undefined
  const hasChoices = Array.isArray(chunk.choices) && chunk.choices.length > 0
  if (hasChoices) sink.content()
  if (isObject(chunk.usage)) {
    if (includeUsage) chunk.usage = clientUsage(chunk.usage, charged)
    else if (hasChoices) delete chunk.usage
    else return null
  }
  return `data: ${JSON.stringify(chunk)}`
}

/** The `data` of an event, joined over several lines as SSE allows; null when it has none. */
function dataOf(event: string): string | null {
  const lines = event.split('\n').filter((line) => line.startsWith('data:'))
  if (lines.length === 0) return null
  return lines.map((line) => line.slice(line.startsWith('data: ') ? 6 : 5)).join('\n')
}

function malformed(sink: EventSink) {
  const error = {
    code: 502,
    message: 'The upstream provider sent an event that could not be read.',
  }
  sink.error(error)
  return errorEvent(error)
}

// Keyed by the upstream's error code, or by our own reason for ending a stream.
const midStreamErrors: Record<string, [type: string, code: string, message: string]> = {
  429: [
    'rate_limit_error',
    'rate_limit_exceeded',
    'The upstream provider hit a rate limit mid-stream. Retry after a short wait.',
  ],
  shutdown: [
    'service_unavailable_error',
    'shutting_down',
    'The server is restarting. Please retry.',
  ],
  timeout: ['timeout_error', 'upstream_timeout', 'The upstream provider went silent mid-stream.'],
}

/** An OpenAI-style error event for an upstream error code; OpenAI's SDKs raise it. */
export function errorEvent(upstream: Json): string {
  const [type, code, message] = midStreamErrors[String(upstream.code)] ?? [
    'api_error',
    'upstream_error',
    'The upstream provider stopped with an error mid-stream.',
  ]
  return `data: ${JSON.stringify({ error: { message, type, param: null, code } })}`
}
