import type { StoredMessage } from '../../src/assistant/conversations'
import type { PortalContext } from '../../src/portal/context'
import { assistantLimits } from '../../src/assistant/limits'
import { Markdown } from './markdown'

/** Text with its line breaks kept, escaped: a question, or an answer while it streams. */
export function Lines({ text }: { text: string }) {
  return (
    <>
      {text.split('\n').map((line, index) => (
        <>
          {index > 0 ? <br /> : ''}
          <span safe>{line}</span>
        </>
      ))}
    </>
  )
}

export interface ChatProps {
  ctx: PortalContext
  /** Distinct per chat on a page, so the panel and the page never share ids. */
  id: string
  messages: StoredMessage[]
}

/** The conversation so far and the question form; answers stream into the log. */
export function Chat({ ctx, id, messages }: ChatProps) {
  const { t } = ctx.i18n
  return (
    <div class="assistant" id={id}>
      <div class="assistant-log" id={`${id}-log`} aria-live="polite">
        {messages.length === 0 ? (
          <p class="muted" safe>
            {t('assistant.empty')}
          </p>
        ) : (
          messages.map((message) => <Message ctx={ctx} message={message} />)
        )}
      </div>
      <form class="card" hx-post="/assistant/messages" hx-target={`#${id}-log`} hx-swap="beforeend">
        <label for={`${id}-input`} safe>
          {t('assistant.label')}
        </label>
        <input type="hidden" name="chat" value={id} />
        <Input ctx={ctx} id={`${id}-input`} />
        <button type="submit" safe>
          {t('assistant.send')}
        </button>
      </form>
    </div>
  )
}

/** The question box; sent again, empty, when a question was accepted. */
export function Input({ ctx, id }: { ctx: PortalContext; id: string }) {
  return (
    <textarea
      id={id}
      name="message"
      rows="3"
      required
      maxlength={String(assistantLimits.charactersPerMessage)}
      placeholder={ctx.i18n.t('assistant.placeholder')}
    ></textarea>
  )
}

function Message({ ctx, message }: { ctx: PortalContext; message: StoredMessage }) {
  const { t } = ctx.i18n
  const mine = message.role === 'user'
  return (
    <div class={mine ? 'card muted' : 'card'}>
      <strong safe>{mine ? t('assistant.you') : t('nav.assistant')}</strong>
      {mine ? (
        <p>
          <Lines text={message.content} />
        </p>
      ) : (
        <div class="answer">
          <Markdown text={message.content} />
        </div>
      )}
    </div>
  )
}
