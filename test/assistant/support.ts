import type { AssistantModel } from '../../src/assistant/model'
import { portalDeps, SESSION_COOKIE } from '../../src/portal/context'
import { CSRF_COOKIE, csrfToken } from '../../src/portal/csrf'
import { LANG_COOKIE } from '../../src/portal/language'
import { buildTestApp, type TestApp } from '../support/app'
import { startCatalogUpstream } from './catalog-upstream'
import type { scriptedModel } from './mock-model'

export interface AssistantTestApp extends TestApp {
  /** Requests as a signed-in account, in a language, with a valid CSRF token. */
  as(accountId: string, lang?: 'en' | 'my'): Promise<Client>
  stopAll(): Promise<void>
}

export type Client = {
  get(path: string): Promise<Response>
  post(path: string, form: Record<string, string | string[]>): Promise<Response>
  request(path: string, init?: RequestInit): Request
}

/** The whole app with a test catalog and, when given, a mock model as the assistant's model. */
export async function assistantApp(
  model?: ReturnType<typeof scriptedModel>,
  env: Record<string, string> = {},
  upstream: { demo?: boolean } = {},
): Promise<AssistantTestApp> {
  const local = startCatalogUpstream()
  const assistant: { model?: AssistantModel } = model
    ? { model: { mode: 'gemini', modelId: 'mock-model', model } }
    : {}
  const app = await buildTestApp({ upstream: { ...local.upstream, ...upstream }, env, assistant })
  await app.services.catalog.whenReady()

  return {
    ...app,
    as: (accountId, lang = 'en') => client(app, accountId, lang),
    stopAll: async () => {
      await app.close()
      await local.stop()
    },
  }
}

async function client(app: TestApp, accountId: string, lang: 'en' | 'my'): Promise<Client> {
  const session = await portalDeps(app.services).sessions.issue({ kind: 'account', accountId })
  const seed = `seed-${accountId}-0123456789`
  const headers = {
    cookie: `${SESSION_COOKIE}=${session}; ${CSRF_COOKIE}=${seed}; ${LANG_COOKIE}=${lang}`,
    'x-csrf-token': csrfToken(app.services.config.JWT_SECRET, seed),
    origin: 'http://localhost',
    'hx-request': 'true',
  }
  const request = (path: string, init: RequestInit = {}) =>
    new Request(`http://localhost${path}`, {
      ...init,
      headers: { ...headers, ...(init.headers as Record<string, string>) },
    })

  return {
    request,
    get: (path) => app.app.handle(request(path, { headers: { 'hx-request': '' } })),
    post: (path, form) => {
      const body = new URLSearchParams()
      for (const [name, value] of Object.entries(form)) {
        for (const item of [value].flat()) body.append(name, item)
      }
      const init = {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }
      return app.app.handle(request(path, init))
    },
  }
}

/** Reads an SSE body one message at a time, as the page's htmx does. */
export function sseReader(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  return {
    /** The next message's data, or undefined at the end of the stream. */
    async next(): Promise<string | undefined> {
      while (!buffer.includes('\n\n')) {
        const { value, done } = await reader.read()
        if (done) return undefined
        buffer += value
      }
      const end = buffer.indexOf('\n\n')
      const message = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      return message
        .split('\n')
        .map((line) => line.replace(/^data: /, ''))
        .join('\n')
    },
    async rest(): Promise<string[]> {
      const all: string[] = []
      for (let data = await this.next(); data !== undefined; data = await this.next()) {
        all.push(data)
      }
      return all
    },
    cancel: () => reader.cancel(),
  }
}

/** Resolves once `condition` holds; fails after a few seconds so a broken test cannot hang. */
export async function waitFor(condition: () => boolean, what: string) {
  const deadline = Date.now() + 5000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(5)
  }
}
