import { readUpstreamError, type UpstreamErrorInfo } from './upstream-errors'

type Json = Record<string, unknown>

/** Where a whole answer's `usage` object sits in its text, and what it says. */
export interface LocatedUsage {
  start: number
  end: number
  usage: Json
}

/** What a whole (non-streamed) upstream answer turned out to be. */
export type Answer =
  | { kind: 'usage'; text: string; located: LocatedUsage }
  | { kind: 'error'; info: UpstreamErrorInfo }
  | { kind: 'plain' }
  | { kind: 'unreadable' }

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Sorts an answer without parsing all of it: large answers (embeddings above all) are mostly
 * numbers the gateway has no business re-serializing, so when the answer ends with its
 * top-level `usage` object, as upstreams write it, only that object is parsed. Anything else
 * is parsed whole, so that a `usage` nested deeper is never billed, nor left to show its cost.
 */
export function readAnswer(text: string): Answer {
  const located = locateTrailingUsage(text)
  if (located) return { kind: 'usage', text, located }

  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return { kind: 'unreadable' }
  }
  if (!isObject(body)) return { kind: 'unreadable' }
  if (isObject(body.error) && !('choices' in body) && !('data' in body)) {
    return { kind: 'error', info: readUpstreamError(200, body, null) }
  }
  if (isObject(body.usage)) return usageMovedLast(body, body.usage)
  return { kind: 'plain' }
}

/**
 * True when a choice carries its own error: an upstream that failed after it began answering
 * still answers 200, with partial content. Only answers that mention an `"error"` key are
 * parsed; inside a JSON string that word's quotes would be escaped.
 */
export function choiceFailed(text: string): boolean {
  if (!text.includes('"error"')) return false
  try {
    const body: unknown = JSON.parse(text)
    if (!isObject(body) || !Array.isArray(body.choices)) return false
    return body.choices.some((choice) => isObject(choice) && isObject(choice.error))
  } catch {
    return false
  }
}

/** The answer with its `usage` object replaced. */
export function replaceUsage(text: string, located: LocatedUsage, usage: Json): string {
  return text.slice(0, located.start) + JSON.stringify(usage) + text.slice(located.end)
}

/** Writes the answer again with `usage` as its last member, where it can be replaced. */
function usageMovedLast(body: Json, usage: Json): Answer {
  const rest = { ...body }
  delete rest.usage
  const text = JSON.stringify({ ...rest, usage })
  const end = text.length - 1
  return { kind: 'usage', text, located: { start: end - JSON.stringify(usage).length, end, usage } }
}

/**
 * The last `"usage": {…}` member, when it is a member of the outermost object. A key is told
 * from string content by what precedes it: a `,` or `{` before an unescaped quote cannot occur
 * inside a JSON string. It is outermost when the first bracket left open after it closes the
 * text.
 */
function locateTrailingUsage(text: string): LocatedUsage | null {
  const at = lastUsageKey(text)
  if (at < 0) return null
  let start = skipSpace(text, at + 7)
  if (text[start] !== ':') return null
  start = skipSpace(text, start + 1)
  if (text[start] !== '{') return null
  const end = objectEnd(text, start)
  if (end < 0 || !closesText(text, end)) return null

  try {
    const usage: unknown = JSON.parse(text.slice(start, end))
    return isObject(usage) ? { start, end, usage } : null
  } catch {
    return null
  }
}

function lastUsageKey(text: string): number {
  for (let at = text.lastIndexOf('"usage"'); at > 0; at = text.lastIndexOf('"usage"', at - 1)) {
    const before = previousSolid(text, at - 1)
    if (before === ',' || before === '{') return at
  }
  return -1
}

const isSpace = (char: string | undefined) =>
  char === ' ' || char === '\n' || char === '\r' || char === '\t'

function skipSpace(text: string, from: number) {
  let i = from
  while (isSpace(text[i])) i++
  return i
}

function previousSolid(text: string, from: number) {
  let i = from
  while (i >= 0 && isSpace(text[i])) i--
  return text[i]
}

/** The index just past the object that opens at `start`, or -1 when it never closes. */
function objectEnd(text: string, start: number): number {
  const close = unmatchedClose(text, start + 1)
  return close < 0 ? -1 : close + 1
}

/** True when the first bracket closed after `from` but opened before it ends the text. */
function closesText(text: string, from: number): boolean {
  const close = unmatchedClose(text, from)
  return close >= 0 && text[close] === '}' && skipSpace(text, close + 1) === text.length
}

/**
 * The index of the first `}` or `]` from `from` on that closes a bracket opened before it,
 * skipping strings; -1 when there is none.
 */
function unmatchedClose(text: string, from: number): number {
  let depth = 0
  let inString = false
  for (let i = from; i < text.length; i++) {
    const char = text[i]
    if (inString) {
      if (char === '\\') i++
      else if (char === '"') inString = false
    } else if (char === '"') inString = true
    else if (char === '{' || char === '[') depth++
    else if ((char === '}' || char === ']') && depth-- === 0) return i
  }
  return -1
}
