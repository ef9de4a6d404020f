import type { Account } from '../../src/auth/accounts'
import { portalDeps, SESSION_COOKIE } from '../../src/portal/context'
import type { TestApp } from '../support/app'

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
