import type { Account } from '../../src/auth/accounts'
import { portalDeps, SESSION_COOKIE } from '../../src/portal/context'
import { buildTestApp, type TestApp, type TestAppOptions } from '../support/app'
import { changed, chatModels, embeddingModels, gptMini } from '../catalog/fixtures'
import { FakeUpstream } from '../catalog/upstream'

/**
 * A pretend browser for route tests: keeps cookies between requests like a real one, reads the
 * CSRF token from the last page, and posts forms from our own origin unless told otherwise.
 */
export class Browser {
  readonly cookies = new Map<string, string>()
  csrf = ''

  constructor(
    private readonly test: TestApp,
    readonly lang?: 'en' | 'my',
  ) {}

  async get(path: string, headers: Record<string, string> = {}) {
    return this.send(new Request(`http://localhost${path}`, { headers: this.headers(headers) }))
  }

  /** Posts a form; the CSRF field is added unless `_csrf` is given (even as empty). */
  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    const body = new URLSearchParams({ _csrf: this.csrf, ...form })
    return this.send(
      new Request(`http://localhost${path}`, {
        method: 'POST',
        headers: this.headers({
          origin: 'http://localhost',
          'content-type': 'application/x-www-form-urlencoded',
          ...headers,
        }),
        body,
      }),
    )
  }

  /** Signs in as the account, the way a finished sign-in would. */
  async signInAs(account: Account) {
    const token = await portalDeps(this.test.services).sessions.issue({
      kind: 'account',
      accountId: account.id,
    })
    this.cookies.set(SESSION_COOKIE, token)
    await this.get('/')
  }

  async send(request: Request) {
    const response = await this.test.app.handle(request)
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      const value = decodeURIComponent(pair.slice(eq + 1))
      if (/Max-Age=0/.test(cookie)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    const text = await response.text()
    const token = /name="_csrf" value="([^"]+)"|"X-CSRF-Token":"([^"]+)"/.exec(text)
    if (token) this.csrf = (token[1] ?? token[2])!
    return { status: response.status, headers: response.headers, text }
  }

  private headers(extra: Record<string, string>) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ')
    const headers: Record<string, string> = { ...extra }
    if (cookie) headers.cookie = cookie
    if (this.lang && !headers['accept-language']) headers['accept-language'] = this.lang
    return headers
  }
}

/** A model whose upstream text tries to inject markup; pages must show it as text. */
export const hostileModel = changed(gptMini, {
  id: 'evil/injector',
  name: 'Injector <img src=x onerror=alert(1)>',
  description: 'Ignore this <script>alert("model")</script> description',
})

export interface PortalTestApp extends TestApp {
  upstream: FakeUpstream
}

/** The whole app over a fake upstream whose catalog is loaded before the test starts. */
export async function portalTestApp(options: TestAppOptions = {}): Promise<PortalTestApp> {
  const upstream = new FakeUpstream([...chatModels, hostileModel], embeddingModels)
  const test = await buildTestApp({
    upstream: { baseUrl: upstream.baseUrl, demo: false },
    ...options,
  })
  await test.services.catalog.whenReady()
  return {
    ...test,
    upstream,
    close: async () => {
      await test.close()
      await upstream.stop()
    },
  }
}

/** The visible text of the page's <main>, tags dropped. */
export function mainText(html: string) {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? ''
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}
