/**
 * The assistant's bounds. The request schema and the code read the same numbers, so a client
 * that skips the schema (or a caller inside the process) meets the same limits.
 */
export const assistantLimits = {
  messagesPerRequest: 10,
  charactersPerMessage: 500,
  toolStepsPerTurn: 2,
  /** Once this many turns pile up without a summary, the older ones are folded into it. */
  foldAfterTurns: 8,
  /** The most recent turns stay word for word after a fold, so a follow-up still reads well. */
  keepVerbatimTurns: 2,
  /** Answers longer than this are cut; a chat answer never needs more. */
  maxOutputTokens: 1200,
} as const

export type LimitRefusal = 'too_many_messages' | 'message_too_long' | 'empty_message'

/** The first limit the new messages break, if any. */
export function checkMessages(messages: readonly string[]): LimitRefusal | undefined {
  if (messages.length > assistantLimits.messagesPerRequest) return 'too_many_messages'
  if (messages.some((message) => message.trim() === '')) return 'empty_message'
  // UTF-16 length, the same measure as the schema's maxLength; Burmese letters count one each.
  const tooLong = messages.some((message) => message.length > assistantLimits.charactersPerMessage)
  if (tooLong) return 'message_too_long'
  return undefined
}
