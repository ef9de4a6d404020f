import type { PortalContext } from '../../src/portal/context'
import type { MessageKey } from '../../src/portal/i18n'

const messages: Record<number, MessageKey> = {
  400: 'errors.badRequest',
  401: 'errors.unauthorized',
  403: 'errors.forbidden',
  404: 'errors.notFound',
  411: 'errors.lengthRequired',
  413: 'errors.tooLarge',
  422: 'errors.badRequest',
  429: 'errors.tooMany',
}

export function errorMessageKey(status: number): MessageKey {
  return messages[status] ?? 'errors.server'
}

/** A translated error, with the request id so support can find the log line. */
export function ErrorPage(props: { ctx: PortalContext; message: MessageKey; requestId?: string }) {
  const { t } = props.ctx.i18n
  return (
    <section class="card">
      <h1 safe>{t('errors.title')}</h1>
      <p safe>{t(props.message)}</p>
      {props.requestId ? (
        <p class="muted" translate="no" safe>
          {t('errors.requestId', { id: props.requestId })}
        </p>
      ) : (
        ''
      )}
      <p>
        <a href="/" safe>
          {t('errors.home')}
        </a>
      </p>
    </section>
  )
}
