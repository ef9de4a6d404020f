import { sessionTokens } from '../../src/auth/session'
import { SESSION_COOKIE } from '../../src/portal/context'
import type { Bench } from '../lib/bench'
import { timeOnce } from '../lib/clients'
import type { ServerProcess } from '../lib/processes'
import { ADMIN_KEY, JWT_SECRET } from '../lib/sargalay'
import { figure, type Figure } from '../lib/report'
import { quantile } from '../lib/stats'

/**
 * The dashboard and the usage page of the heavy account, signed in, alternating. A page counts
 * until it is complete: the page itself, then the fragments it loads at once
 * (`hx-trigger="load"`, such as the spend chart and the usage totals), fetched together as
 * htmx does.
 */
export async function portalFigures(
  bench: Bench,
  server: ServerProcess,
  accountId: string,
): Promise<Figure[]> {
  const cookie = await sessionCookie(accountId)
  const dashboard = await pageTimer(server.url, '/dashboard', cookie)
  const usage = await pageTimer(server.url, '/usage', cookie)
  // The first visit after a start fills per-process caches; it is reported, not counted.
  const first = { dashboard: await dashboard.time(), usage: await usage.time() }
  for (let i = 0; i < 10; i++) await Promise.all([dashboard.time(), usage.time()])

  const samples = { dashboard: [] as PageTime[], usage: [] as PageTime[] }
  for (let i = 0; i < bench.sizes.portalRequests; i++) {
    samples.dashboard.push(await dashboard.time())
    samples.usage.push(await usage.time())
  }

  const detail = (times: PageTime[], fragments: string[], firstVisit: PageTime) => ({
    requests: times.length,
    fragments,
    firstVisitCompleteMs: firstVisit.completeMs,
    completeP50Ms: quantile(
      times.map((t) => t.completeMs),
      0.5,
    ),
    pageOnlyP95Ms: quantile(
      times.map((t) => t.pageMs),
      0.95,
    ),
  })
  const p95 = (times: PageTime[]) =>
    quantile(
      times.map((t) => t.completeMs),
      0.95,
    )
  return [
    figure(
      bench.sizes,
      'portal_dashboard_p95_ms',
      p95(samples.dashboard),
      detail(samples.dashboard, dashboard.fragments, first.dashboard),
    ),
    figure(
      bench.sizes,
      'portal_usage_p95_ms',
      p95(samples.usage),
      detail(samples.usage, usage.fragments, first.usage),
    ),
  ]
}

interface PageTime {
  pageMs: number
  completeMs: number
}

/** Finds the fragments a page loads at once, then times the page with them. */
async function pageTimer(base: string, path: string, cookie: string) {
  const page = await fetch(base + path, { headers: { cookie }, redirect: 'manual' })
  if (!page.ok) throw new Error(`${path} answered ${page.status}`)
  const fragments = loadedAtOnce(await page.text())

  const time = async (): Promise<PageTime> => {
    const pageMs = await timeOnce({ url: base + path, headers: { cookie } })
    const fragmentHeaders = { cookie, 'hx-request': 'true' }
    const fragmentMs = await Promise.all(
      fragments.map((url) => timeOnce({ url: base + url, headers: fragmentHeaders })),
    )
    return { pageMs, completeMs: pageMs + Math.max(0, ...fragmentMs) }
  }
  return { fragments, time }
}

function loadedAtOnce(html: string): string[] {
  const tags = html.match(/<[^>]*hx-trigger="load"[^>]*>/g) ?? []
  return tags
    .map((tag) => /hx-get="([^"]+)"/.exec(tag)?.[1]?.replaceAll('&amp;', '&'))
    .filter((url): url is string => url !== undefined)
}

/**
 * The session cookie a finished sign-in would set. The server runs as production does, where
 * local sign-in is refused, and GitHub is not here to sign in with.
 */
async function sessionCookie(accountId: string): Promise<string> {
  const sessions = sessionTokens({ secret: JWT_SECRET, ttlSeconds: 3600, adminKey: ADMIN_KEY })
  const token = await sessions.issue({ kind: 'account', accountId })
  return `${SESSION_COOKIE}=${token}`
}
