import type { PortalContext } from '../../src/portal/context'
import { CSRF_FIELD } from '../../src/portal/csrf'

/** The hidden CSRF field every state-changing form carries (htmx also sends it as a header). */
export function CsrfField({ ctx }: { ctx: PortalContext }) {
  return <input type="hidden" name={CSRF_FIELD} value={ctx.csrfToken} />
}

/** A message above a form; `role=alert` so screen readers announce it. */
export function FormMessage({ text, kind }: { text?: string; kind: 'error' | 'notice' }) {
  if (!text) return <></>
  return (
    <p class={kind} role={kind === 'error' ? 'alert' : 'status'} safe>
      {text}
    </p>
  )
}

/** A button that copies the text of the element with id `target` (public/app.js). */
export function CopyButton({ ctx, target }: { ctx: PortalContext; target: string }) {
  const { t } = ctx.i18n
  return (
    <button
      type="button"
      class="secondary"
      data-copy={target}
      data-copied={t('common.copied')}
      safe
    >
      {t('common.copy')}
    </button>
  )
}
