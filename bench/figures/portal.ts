import type { Bench } from '../lib/bench'
import { sequential } from '../lib/clients'
import type { ServerProcess } from '../lib/processes'
import { figure, type Figure } from '../lib/report'
import { quantile } from '../lib/stats'

/** The dashboard and the usage page of the heavy account, alternating, signed in. */
export async function portalFigures(
  bench: Bench,
  server: ServerProcess,
  accountName: string,
): Promise<Figure[]> {
  const cookie = await signInLocally(server.url, accountName)
  const pages = ['/dashboard', '/usage'].map((path) => ({
    url: server.url + path,
    headers: { cookie },
  }))
  const [dashboard, usage] = await sequential(pages, bench.sizes.portalRequests)

  const detail = (samples: number[]) => ({
    requests: samples.length,
    p50Ms: quantile(samples, 0.5),
    p99Ms: quantile(samples, 0.99),
  })
  return [
    figure(bench.sizes, 'portal_dashboard_p95_ms', quantile(dashboard!, 0.95), detail(dashboard!)),
    figure(bench.sizes, 'portal_usage_p95_ms', quantile(usage!, 0.95), detail(usage!)),
  ]
}

/**
 * The portal's local sign-in, as a browser does it: the sign-in page sets the CSRF cookie and
 * carries its token, and the form post answers with the session cookie.
 */
async function signInLocally(base: string, name: string): Promise<string> {
  const form = await fetch(`${base}/signin`)
  const csrfCookie = cookiePairs(form.headers)
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1]
  if (!token) throw new Error('the sign-in page carries no CSRF token')

  const response = await fetch(`${base}/signin/local`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: csrfCookie,
      origin: base,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ name, _csrf: token, next: '/dashboard' }),
  })
  const session = cookiePairs(response.headers)
  if (response.status >= 400 || !session.includes('sg_session=')) {
    throw new Error(`local sign-in answered ${response.status} without a session`)
  }
  return `${csrfCookie}; ${session}`
}

function cookiePairs(headers: Headers) {
  return headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ')
}
