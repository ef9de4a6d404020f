import type { HtmlErrorRenderer } from '../http/error-handler'
import { contextOf } from '../http/request-context'
import { ErrorPage, errorMessageKey } from '../../views/pages/error'
import { portalContext, type PortalContext, type PortalDeps } from './context'
import type { MessageKey } from './i18n'
import { i18nFor } from './i18n'
import { chooseLanguage } from './language'
import { page } from './render'

/** A translated error page in the layout (or as a fragment for htmx). */
export function errorPage(ctx: PortalContext, status: number, message?: MessageKey) {
  const key = message ?? errorMessageKey(status)
  const requestId = status >= 500 ? contextOf(ctx.request).id : undefined
  return page(
    ctx,
    { title: ctx.i18n.t('errors.title'), status },
    <ErrorPage ctx={ctx} message={key} requestId={requestId} />,
  )
}

/** The app's HTML error renderer (`renderHtmlError`): every non-JSON error, translated. */
export function portalErrorRenderer(deps: PortalDeps): HtmlErrorRenderer {
  return async (request, status) => {
    const ctx = await portalContext(deps, request).catch(() => bareContext(deps, request))
    return errorPage(ctx, status)
  }
}

/** When even the session lookup failed (the database is down), an anonymous context will do. */
function bareContext(deps: PortalDeps, request: Request): PortalContext {
  const { lang } = chooseLanguage(request)
  const url = new URL(request.url)
  return {
    request,
    lang,
    i18n: i18nFor(lang),
    path: url.pathname,
    isAdmin: false,
    csrfToken: '',
    demo: deps.services.upstream.demo,
    cookies: [],
    secure: url.protocol === 'https:',
    ownOrigins: [url.origin],
  }
}
