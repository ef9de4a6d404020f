import { answerStreamHeaders } from './answer-headers'

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A whole answer retold as the stream a client asked for. Some providers answer a streaming
 * request with one JSON body; a streaming client would read no events from it and see an empty
 * answer, so it gets the same content as one chunk per choice, the usage chunk when it asked for
 * one, and `[DONE]`. Null when the answer has no choices to retell.
 */
export function wholeAsStream(text: string, includeUsage: boolean): Response | null {
  let answer: unknown
  try {
    answer = JSON.parse(text)
  } catch {
    return null
  }
  if (!isObject(answer) || !Array.isArray(answer.choices)) return null

  const { choices, usage, ...head } = answer
  const chat = answer.object === 'chat.completion'
  const base = chat ? { ...head, object: 'chat.completion.chunk' } : head
  const events: Json[] = [{ ...base, choices: choices.map((c) => (chat ? asDelta(c) : c)) }]
  if (includeUsage && isObject(usage)) events.push({ ...base, choices: [], usage })

  const body = events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('')
  return new Response(`${body}data: [DONE]\n\n`, { headers: answerStreamHeaders })
}

/** A chat choice's whole message as the delta of a single chunk. */
function asDelta(choice: unknown): unknown {
  if (!isObject(choice)) return choice
  const { message, ...rest } = choice
  if (!isObject(message)) return choice

  const delta: Json = { ...message }
  if (Array.isArray(message.tool_calls)) {
    // A streamed tool call says which one it extends; a whole message lists them in order.
    delta.tool_calls = message.tool_calls.map((call, index) =>
      isObject(call) ? { index, ...call } : call,
    )
  }
  return { ...rest, delta }
}
