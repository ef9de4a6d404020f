import { TypeCompiler } from '@sinclair/typebox/compiler'
import { t, type Static } from 'elysia'
import { assistantLimits } from './limits'

const message = t.String({ maxLength: assistantLimits.charactersPerMessage })

/**
 * A question to the assistant. A form sends one `message`; a client may send several at once
 * (repeated fields, or a JSON array), which join the conversation as one turn.
 */
export const assistantRequest = t.Object({
  message: t.Union([
    message,
    t.Array(message, { minItems: 1, maxItems: assistantLimits.messagesPerRequest }),
  ]),
})

export type AssistantRequest = Static<typeof assistantRequest>

// Checked in the handler rather than as the route's body schema: a route schema failure goes to
// the app-wide error page, and each limit must be refused with its own translated message.
const compiled = TypeCompiler.Compile(assistantRequest)

export function isAssistantRequest(body: unknown): body is AssistantRequest {
  return compiled.Check(body)
}

/** The messages of a request, whatever shape the body had; for telling which limit it broke. */
export function messagesOf(body: unknown): string[] {
  const raw = (body as { message?: unknown } | null)?.message
  const list = Array.isArray(raw) ? raw : [raw]
  return list.filter((item): item is string => typeof item === 'string')
}
