import { Elysia } from 'elysia'
import { randomBytes } from 'node:crypto'
import { AssistantPage, AssistantPanel } from '../../views/assistant/page'
import {
  RefusalMessage,
  answerFormatted,
  answerNotice,
  answerPiece,
  turnStart,
  type TurnIds,
} from '../../views/assistant/stream'
import { contextOf } from '../http/request-context'
import type { PortalContext, PortalDeps } from '../portal/context'
import type { MessageKey, MessageVars } from '../portal/i18n'
import { portalPlugin } from '../portal/plugin'
import { fragment, page } from '../portal/render'
import type { Services } from '../services'
import { ConversationStore } from './conversations'
import { platformFacts } from './knowledge'
import { assistantLimits, checkMessages, type LimitRefusal } from './limits'
import { chooseAssistantModel, type AssistantModel } from './model'
import { AssistantRateLimiter } from './rate-limit'
import { isAssistantRequest, messagesOf } from './schema'
import { searchModelsTool } from './search-tool'
import { eventStream, sseMessage } from './sse'
import { runTurn, type TurnDeps, type TurnEvent } from './turn'

export interface AssistantOptions {
  /** The model to use instead of the one the configuration names; tests pass a mock model. */
  model?: AssistantModel
}

const refusalKeys: Record<LimitRefusal, MessageKey> = {
  too_many_messages: 'assistant.tooManyMessages',
  message_too_long: 'assistant.messageTooLong',
  empty_message: 'assistant.emptyMessage',
}

const noticeKeys: Record<Extract<TurnEvent, { type: 'notice' }>['notice'], MessageKey> = {
  step_limit: 'assistant.stepLimit',
  failed: 'assistant.failed',
}

const chatIds = ['assistant', 'assistant-panel']

/** `/assistant`, the panel fragment, and the streamed answers, for signed-in accounts only. */
export function assistantRoutes(services: Services, deps: PortalDeps, options: AssistantOptions) {
  const choice = options.model ?? chooseAssistantModel(services.config, services.upstream)
  const store = new ConversationStore(services.db, services.clock)
  const limiter = new AssistantRateLimiter(
    services.config.ASSISTANT_REQUESTS_PER_MINUTE,
    services.clock,
  )
  const turns: TurnDeps | undefined =
    choice.mode === 'unavailable'
      ? undefined
      : {
          model: choice.model,
          modelId: choice.modelId,
          store,
          tools: { search_models: searchModelsTool(services.catalog) },
          facts: (language) => platformFacts(services, language),
          logger: services.logger,
        }

  const history = async (accountId: string) => {
    const conversation = await store.current(accountId)
    return conversation ? store.messages(conversation.id) : []
  }

  return new Elysia({ name: 'assistant' })
    .use(portalPlugin(deps))
    .get(
      '/assistant',
      async ({ portal, account }) => {
        const content = (
          <AssistantPage
            ctx={portal}
            available={turns !== undefined}
            messages={await history(account.id)}
          />
        )
        return page(portal, { title: portal.i18n.t('assistant.title') }, content)
      },
      { signedIn: true },
    )
    .get(
      '/assistant/panel',
      async ({ portal, account }) => {
        const messages = await history(account.id)
        return fragment(
          portal,
          <AssistantPanel ctx={portal} available={turns !== undefined} messages={messages} />,
        )
      },
      { signedIn: true },
    )
    .post(
      '/assistant/messages',
      async ({ portal, account, body, request }) => {
        if (!turns) return refuse(portal, { key: 'assistant.unavailable', status: 503 })
        const refusal = limitRefusal(body) ?? rateRefusal(limiter, account.id)
        if (refusal) return refuse(portal, refusal)

        const chatId = chatIdOf(body)
        const ids = { chatId, answerId: `${chatId}--${randomBytes(6).toString('hex')}` }
        const input = {
          accountId: account.id,
          requestId: contextOf(request).id,
          messages: messagesOf(body),
          signal: request.signal,
        }
        return eventStream(portal, streamTurn(services, turns, portal, ids, input))
      },
      { signedIn: true },
    )
}

interface Refusal {
  key: MessageKey
  status: number
  vars?: MessageVars
  headers?: Record<string, string>
}

/** The request schema and the code check the same limits; either one failing refuses. */
function limitRefusal(body: unknown): Refusal | undefined {
  const broken = checkMessages(messagesOf(body))
  if (isAssistantRequest(body) && !broken) return undefined

  const reason = broken ?? 'empty_message'
  const max =
    reason === 'too_many_messages'
      ? assistantLimits.messagesPerRequest
      : assistantLimits.charactersPerMessage
  return { key: refusalKeys[reason], status: 400, vars: { max } }
}

function rateRefusal(limiter: AssistantRateLimiter, accountId: string): Refusal | undefined {
  const taken = limiter.take(accountId)
  if (taken.allowed) return undefined
  const seconds = taken.retryAfterSeconds
  return {
    key: 'assistant.rateLimited',
    status: 429,
    vars: { seconds },
    headers: { 'retry-after': String(seconds) },
  }
}

/** A refusal is appended to the chat log like an answer; htmx 4 swaps 4xx answers too. */
async function refuse(ctx: PortalContext, refusal: Refusal) {
  const text = ctx.i18n.t(refusal.key, refusal.vars)
  const response = await fragment(ctx, <RefusalMessage text={text} />, refusal.status)
  for (const [name, value] of Object.entries(refusal.headers ?? {})) {
    response.headers.set(name, value)
  }
  return response
}

interface StreamInput {
  accountId: string
  requestId: string
  messages: string[]
  signal: AbortSignal
}

/**
 * The turn as SSE messages. Registered as work in flight, so shutdown waits for it and then
 * aborts it like a closed tab would.
 */
async function* streamTurn(
  services: Services,
  turns: TurnDeps,
  ctx: PortalContext,
  ids: TurnIds,
  input: StreamInput,
): AsyncGenerator<string> {
  const work = services.inFlight.begin()
  try {
    const signal = AbortSignal.any([input.signal, work.signal])
    yield sseMessage(await turnStart(ctx, ids, input.messages))
    // Pieces show as plain text while they arrive; a finished answer is then shown formatted,
    // since Markdown cut mid-way (an open code fence) cannot be formatted piece by piece. The
    // formatted answer replaces what was shown, so its notices are shown again after it.
    let answer = ''
    const notices: string[] = []
    for await (const event of runTurn(turns, { ...input, signal, language: ctx.lang })) {
      if (event.type === 'text') {
        answer += event.text
        yield sseMessage(await answerPiece(ids, event.text))
      } else {
        notices.push(ctx.i18n.t(noticeKeys[event.notice]))
        yield sseMessage(await answerNotice(ids, notices.at(-1)!))
      }
    }
    if (!answer) return
    yield sseMessage(await answerFormatted(ids, answer))
    for (const notice of notices) yield sseMessage(await answerNotice(ids, notice))
  } finally {
    work.done()
  }
}

function chatIdOf(body: unknown): string {
  const chat = (body as { chat?: unknown }).chat
  return typeof chat === 'string' && chatIds.includes(chat) ? chat : 'assistant'
}
