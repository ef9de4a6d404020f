import type { PortalContext } from '../../src/portal/context'
import type { MessageKey } from '../../src/portal/i18n'
import { CsrfField, FormMessage } from '../components/forms'

export interface SignInProps {
  ctx: PortalContext
  github: boolean
  local: boolean
  next: string
  message?: MessageKey
  messageKind?: 'error' | 'notice'
}

/** Sign-in: GitHub when configured; otherwise a name-only form on a loopback-only server. */
export function SignInPage({ ctx, github, local, next, message, messageKind }: SignInProps) {
  const { t } = ctx.i18n
  return (
    <section class="card">
      <h1 safe>{t('auth.title')}</h1>
      <FormMessage text={message ? t(message) : undefined} kind={messageKind ?? 'error'} />
      <p safe>{t('auth.intro')}</p>
      {github ? (
        <p>
          <a class="btn" href={`/auth/github?next=${encodeURIComponent(next)}`} safe>
            {t('auth.github')}
          </a>
        </p>
      ) : (
        ''
      )}
      {local ? <LocalSignIn ctx={ctx} next={next} /> : ''}
      {!github && !local ? <p safe>{t('auth.unavailable')}</p> : ''}
    </section>
  )
}

function LocalSignIn({ ctx, next }: { ctx: PortalContext; next: string }) {
  const { t } = ctx.i18n
  return (
    <form method="post" action="/signin/local">
      <h2 safe>{t('auth.localTitle')}</h2>
      <p class="muted" safe>
        {t('auth.localWhy')}
      </p>
      <CsrfField ctx={ctx} />
      <input type="hidden" name="next" value={next} />
      <label for="name" safe>
        {t('auth.name')}
      </label>
      <input id="name" name="name" required maxlength="60" autocomplete="name" />
      <p>
        <button type="submit" safe>
          {t('auth.submit')}
        </button>
      </p>
    </form>
  )
}
