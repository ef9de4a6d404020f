import { generateText, type LanguageModel, type LanguageModelUsage } from 'ai'
import type { Conversation, ConversationStore, StoredMessage } from './conversations'
import { summaryInstructions } from './instructions'
import { assistantLimits } from './limits'

/**
 * A turn is what one request added: the user's messages and the answer. Counting runs of user
 * messages (rather than pairs) keeps the count right when an answer failed and was not stored.
 */
export function splitTurns(messages: readonly StoredMessage[]): StoredMessage[][] {
  const turns: StoredMessage[][] = []
  let previous: string | undefined
  for (const message of messages) {
    if (message.role === 'user' && previous !== 'user') turns.push([])
    turns.at(-1)?.push(message)
    previous = message.role
  }
  return turns
}

/** The turns the summary does not cover yet; these go to the model word for word. */
export function unsummarized(conversation: Conversation, messages: readonly StoredMessage[]) {
  return splitTurns(messages).slice(conversation.summarizedTurns)
}

export interface FoldOptions {
  model: LanguageModel
  store: ConversationStore
  abortSignal?: AbortSignal
}

/**
 * Once enough turns have piled up since the last summary, folds all but the latest few into it
 * with one model call. Returns the turns folded (0 when it was not yet time).
 */
export async function foldIfDue(
  conversation: Conversation,
  messages: readonly StoredMessage[],
  { model, store, abortSignal }: FoldOptions,
): Promise<{ folded: number; summary: string; usage?: LanguageModelUsage }> {
  const pending = unsummarized(conversation, messages)
  if (pending.length < assistantLimits.foldAfterTurns) {
    return { folded: 0, summary: conversation.summary }
  }

  const older = pending.slice(0, pending.length - assistantLimits.keepVerbatimTurns)
  const transcript = older
    .flat()
    .map((message) => `${message.role}: ${message.content}`)
    .join('\n')
  const previous = conversation.summary ? `Earlier summary:\n${conversation.summary}\n\n` : ''

  const { text, usage } = await generateText({
    model,
    instructions: summaryInstructions,
    prompt: `${previous}Conversation:\n${transcript}`,
    abortSignal,
    maxOutputTokens: 400,
  })
  const summary = text.trim()
  await store.saveSummary(conversation.id, summary, conversation.summarizedTurns + older.length)
  return { folded: older.length, summary, usage }
}
