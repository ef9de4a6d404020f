import {
  isStepCount,
  streamText,
  type LanguageModel,
  type LanguageModelUsage,
  type ToolSet,
} from 'ai'
import type { Logger } from '../ops/logger'
import type { Conversation, ConversationStore, StoredMessage } from './conversations'
import { assistantInstructions, type AssistantLanguage } from './instructions'
import type { PlatformFacts } from './knowledge'
import { assistantLimits } from './limits'
import { foldIfDue, unsummarized } from './summary'

/** What the page shows as a turn streams: text as it is generated, or a translated notice. */
export type TurnEvent =
  { type: 'text'; text: string } | { type: 'notice'; notice: 'step_limit' | 'failed' }

export interface TurnDeps {
  model: LanguageModel
  modelId: string
  store: ConversationStore
  tools: ToolSet
  facts: (language: AssistantLanguage) => PlatformFacts
  logger: Logger
}

export interface TurnInput {
  accountId: string
  requestId: string
  language: AssistantLanguage
  /** The user's new messages, already within the limits. */
  messages: string[]
  /** The request's signal: a closed tab aborts the model call. */
  signal: AbortSignal
}

/**
 * One question and its answer: stores the question, streams the answer from the model with the
 * platform facts and the rolling summary as instructions, stores the answer, and folds older
 * turns into the summary when it is time. Failures become a notice, never an exception.
 */
export async function* runTurn(deps: TurnDeps, input: TurnInput): AsyncGenerator<TurnEvent> {
  const log = { requestId: input.requestId, accountId: input.accountId, model: deps.modelId }
  try {
    const conversation = await deps.store.currentOrNew(input.accountId)
    await deps.store.append(
      conversation.id,
      input.messages.map((content) => ({ role: 'user' as const, content })),
    )
    const history = await deps.store.messages(conversation.id)

    const answer = yield* streamAnswer(deps, input, unsummarized(conversation, history), {
      summary: conversation.summary,
      log,
    })
    if (input.signal.aborted) {
      deps.logger.info('assistant_aborted', log)
      return
    }

    if (answer) await deps.store.append(conversation.id, [{ role: 'assistant', content: answer }])
    await foldSummary(deps, input, conversation, log)
  } catch (error) {
    if (input.signal.aborted) {
      deps.logger.info('assistant_aborted', log)
      return
    }
    deps.logger.error('assistant_failed', { ...log, error: errorKind(error) })
    yield { type: 'notice', notice: 'failed' }
  }
}

/**
 * The answer is already on the page, so a failed fold is only logged; the next turn tries again
 * because the turns are still unsummarized.
 */
async function foldSummary(
  deps: TurnDeps,
  input: TurnInput,
  conversation: Conversation,
  log: Record<string, unknown>,
) {
  try {
    const stored = await deps.store.messages(conversation.id)
    const fold = await foldIfDue(conversation, stored, {
      model: deps.model,
      store: deps.store,
      abortSignal: input.signal,
    })
    if (fold.folded === 0) return
    deps.logger.info('assistant_summary', {
      ...log,
      foldedTurns: fold.folded,
      inputTokens: fold.usage?.inputTokens,
      outputTokens: fold.usage?.outputTokens,
    })
  } catch (error) {
    if (input.signal.aborted) return
    deps.logger.warn('assistant_summary_failed', { ...log, error: errorKind(error) })
  }
}

async function* streamAnswer(
  deps: TurnDeps,
  input: TurnInput,
  pending: StoredMessage[][],
  { summary, log }: { summary: string; log: Record<string, unknown> },
): AsyncGenerator<TurnEvent, string> {
  const { toolStepsPerTurn, maxOutputTokens } = assistantLimits
  const result = streamText({
    model: deps.model,
    instructions: assistantInstructions({
      language: input.language,
      facts: deps.facts(input.language),
      summary,
    }),
    messages: pending.flat().map((m) => ({ role: asRole(m.role), content: m.content })),
    tools: deps.tools,
    // One step beyond the tool steps, with the tools taken away, so the model must answer.
    stopWhen: isStepCount(toolStepsPerTurn + 1),
    prepareStep: ({ stepNumber }) => (stepNumber >= toolStepsPerTurn ? { activeTools: [] } : {}),
    maxOutputTokens,
    abortSignal: input.signal,
    // Errors arrive as stream parts and are handled below; this keeps the SDK off the console.
    onError: () => {},
  })

  let answer = ''
  for await (const part of result.stream) {
    if (part.type === 'text-delta' && part.text) {
      answer += part.text
      yield { type: 'text', text: part.text }
    }
    if (part.type === 'error') throw part.error
    if (part.type === 'abort') return answer
    if (part.type === 'finish') {
      logUsage(deps.logger, log, part.totalUsage, part.finishReason)
      if (part.finishReason === 'tool-calls') yield { type: 'notice', notice: 'step_limit' }
      else if (!answer.trim()) yield { type: 'notice', notice: 'failed' }
    }
  }
  return answer
}

const asRole = (role: string): 'user' | 'assistant' => (role === 'assistant' ? 'assistant' : 'user')

/** Token counts as structured fields; the prompt and the answer are never logged. */
function logUsage(
  logger: Logger,
  log: Record<string, unknown>,
  usage: LanguageModelUsage,
  finishReason: string,
) {
  logger.info('assistant_usage', {
    ...log,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: usage.totalTokens,
    finishReason,
  })
}

/** What kind of failure, for the log; provider messages can quote the prompt, so they stay out. */
function errorKind(error: unknown) {
  if (!(error instanceof Error)) return { name: typeof error }
  const status = (error as { statusCode?: unknown }).statusCode
  return { name: error.name, status: typeof status === 'number' ? status : undefined }
}
