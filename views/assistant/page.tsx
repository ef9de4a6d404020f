import type { StoredMessage } from '../../src/assistant/conversations'
import type { PortalContext } from '../../src/portal/context'
import { Chat } from './chat'

export interface AssistantPageProps {
  ctx: PortalContext
  available: boolean
  messages: StoredMessage[]
}

/** `/assistant`: what the assistant knows about, and the chat (or why there is none). */
export function AssistantPage({ ctx, available, messages }: AssistantPageProps) {
  const { t } = ctx.i18n
  return (
    <section>
      <h1 safe>{t('assistant.title')}</h1>
      <p safe>{t('assistant.intro')}</p>
      {available ? (
        <Chat ctx={ctx} id="assistant" messages={messages} />
      ) : (
        <p class="notice" role="status" safe>
          {t('assistant.unavailable')}
        </p>
      )}
    </section>
  )
}

/** The small panel every page can open: the same chat, loaded only when opened. */
export function AssistantPanel({ ctx, available, messages }: AssistantPageProps) {
  const { t } = ctx.i18n
  if (!available) {
    return (
      <p class="notice" role="status" safe>
        {t('assistant.unavailable')}
      </p>
    )
  }
  return (
    <>
      <Chat ctx={ctx} id="assistant-panel" messages={messages} />
      <p>
        <a href="/assistant" safe>
          {t('assistant.openPage')}
        </a>
      </p>
    </>
  )
}
