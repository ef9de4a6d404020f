import { Layout } from '../../views/layout'
import type { PortalContext } from './context'
import { securityHeaders } from './security-headers'

/**
 * The one place that decides fragment or page: an htmx request that swaps part of a page gets
 * only the content; a normal load, a history restore or a whole-body swap gets the full page.
 */
export function isFragmentRequest(request: Request): boolean {
  const headers = request.headers
  if (headers.get('hx-request') !== 'true') return false
  if (headers.get('hx-history-restore-request') === 'true') return false
  return headers.get('hx-request-type') !== 'full'
}

export function isHtmx(request: Request): boolean {
  return request.headers.get('hx-request') === 'true'
}

/** An HTML answer with the security headers and the context's pending cookies. */
export function htmlResponse(
  ctx: Pick<PortalContext, 'cookies'> | undefined,
  body: string,
  status = 200,
  extra: Record<string, string> = {},
): Response {
  const headers = new Headers({
    ...securityHeaders,
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // Same URL, different answer for htmx and for a normal load: caches must keep both apart.
    vary: 'HX-Request, HX-Request-Type, Cookie, Accept-Language',
    ...extra,
  })
  for (const cookie of ctx?.cookies ?? []) headers.append('set-cookie', cookie)
  return new Response(body, { status, headers })
}

export interface PageOptions {
  title: string
  status?: number
}

/** A page in the layout, or only its content for an htmx fragment request. */
export async function page(
  ctx: PortalContext,
  options: PageOptions,
  content: JSX.Element,
): Promise<Response> {
  const body = await content
  if (isFragmentRequest(ctx.request)) return htmlResponse(ctx, body, options.status)
  const full = await Layout({ ctx, title: options.title, children: body })
  return htmlResponse(ctx, full, options.status)
}

/** A piece of a page, for htmx targets (search results, a table row, a form). */
export async function fragment(ctx: PortalContext, content: JSX.Element, status = 200) {
  return htmlResponse(ctx, await content, status)
}

/**
 * Sends the browser elsewhere: htmx follows `HX-Location` without a reload (`HX-Redirect` for
 * another site), a normal form post gets a 303 so the browser fetches the new page with GET.
 */
export function redirect(
  ctx: Pick<PortalContext, 'cookies' | 'request'>,
  location: string,
  options: { offSite?: boolean } = {},
) {
  if (isHtmx(ctx.request)) {
    const header = options.offSite ? 'hx-redirect' : 'hx-location'
    return htmlResponse(ctx, '', 200, { [header]: location })
  }
  const headers = new Headers({ ...securityHeaders, location, 'cache-control': 'no-store' })
  for (const cookie of ctx.cookies) headers.append('set-cookie', cookie)
  return new Response(null, { status: 303, headers })
}

/**
 * Only same-site paths may be redirect targets, never another host. Browsers drop tabs and
 * newlines from a URL, so `/\t/evil.example` would become `//evil.example`; a control
 * character also cannot go into a Location header at all.
 */
export function safeNext(next: unknown, fallback = '/dashboard'): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//')) return fallback
  if (next.includes('\\') || /[\u0000-\u001f\u007f]/.test(next)) return fallback
  return next
}
