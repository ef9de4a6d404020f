import type { PortalContext } from '../../src/portal/context'
import { Input, Lines } from './chat'
import { Markdown } from './markdown'

/**
 * The pieces of a streamed answer, each one SSE message that htmx swaps into the chat log as it
 * arrives. The first opens the turn; the rest go into its answer through `<hx-partial>`.
 */

/** An `<hx-partial>` around our own markup; the target is an id we generated. */
function partial(targetId: string, swap: string, html: string): string {
  return `<hx-partial hx-target="#${targetId}" hx-swap="${swap}">${html}</hx-partial>`
}

export interface TurnIds {
  /** The chat the question came from (`assistant` or `assistant-panel`). */
  chatId: string
  answerId: string
}

export async function turnStart(ctx: PortalContext, ids: TurnIds, questions: string[]) {
  const { t } = ctx.i18n
  const opening = await (
    <>
      {questions.map((question) => (
        <div class="card muted">
          <strong safe>{t('assistant.you')}</strong>
          <p>
            <Lines text={question} />
          </p>
        </div>
      ))}
      <div class="card">
        <strong safe>{t('nav.assistant')}</strong>
        <div class="answer" id={ids.answerId}></div>
      </div>
    </>
  )
  const inputId = `${ids.chatId}-input`
  const emptyInput = await (<Input ctx={ctx} id={inputId} />)
  return opening + partial(inputId, 'outerHTML', emptyInput)
}

export async function answerPiece(ids: TurnIds, text: string) {
  const piece = await (
    <span>
      <Lines text={text} />
    </span>
  )
  return partial(ids.answerId, 'beforeend', piece)
}

/** The whole answer once it is over, formatted, in place of its raw pieces. */
export async function answerFormatted(ids: TurnIds, text: string) {
  return partial(ids.answerId, 'innerHTML', await (<Markdown text={text} />))
}

export async function answerNotice(ids: TurnIds, text: string) {
  const notice = await (
    <span class="error" role="alert" safe>
      {text}
    </span>
  )
  return partial(ids.answerId, 'beforeend', notice)
}

/** A refused question, appended to the log as an ordinary (non-streamed) answer. */
export function RefusalMessage({ text }: { text: string }) {
  return (
    <p class="error" role="alert" safe>
      {text}
    </p>
  )
}
