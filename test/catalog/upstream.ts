import { listBody, type UpstreamModel } from './fixtures'

export type Failure = 'status' | 'not-json' | 'no-data'

/**
 * A local stand-in for OpenRouter's model endpoints. Tests change what it answers, make it
 * fail, or hold its answers until they release them, and count what it was asked.
 */
export class FakeUpstream {
  chat: UpstreamModel[]
  embeddings: UpstreamModel[] | 'missing' | 'broken'
  failure: Failure | null = null
  /** When set, `/models` answers pages of this size linked by `links.next`. */
  pageSize: number | null = null
  hits = { models: 0, embeddings: 0 }
  authorization: string | null = null
  private gate: Promise<void> | null = null
  private openGate: (() => void) | null = null
  private readonly server: ReturnType<typeof Bun.serve>

  constructor(chat: UpstreamModel[], embeddings: UpstreamModel[] | 'missing' = []) {
    this.chat = chat
    this.embeddings = embeddings
    this.server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (r) => this.answer(r) })
  }

  get baseUrl() {
    return `http://127.0.0.1:${this.server.port}/api/v1`
  }

  /** Holds every answer until `release` is called. */
  hold() {
    this.gate = new Promise((resolve) => (this.openGate = resolve))
  }

  release() {
    this.openGate?.()
    this.gate = null
  }

  async stop() {
    this.release()
    await this.server.stop(true)
  }

  private async answer(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname
    const isEmbeddings = path === '/api/v1/embeddings/models'
    if (isEmbeddings) this.hits.embeddings++
    else if (path === '/api/v1/models') this.hits.models++
    else return new Response('not found', { status: 404 })
    this.authorization = request.headers.get('authorization')

    if (this.gate) await this.gate
    if (this.failure === 'status') return new Response('upstream down', { status: 502 })
    if (this.failure === 'not-json') return new Response('<html>oops</html>')
    if (this.failure === 'no-data') return Response.json({ error: { message: 'nope' } })
    if (isEmbeddings && this.embeddings === 'missing') return new Response('', { status: 404 })
    if (isEmbeddings && this.embeddings === 'broken') return new Response('', { status: 500 })
    if (isEmbeddings) return Response.json(listBody(this.embeddings as UpstreamModel[]))
    return this.pageSize ? this.page(request) : Response.json(listBody(this.chat))
  }

  private page(request: Request) {
    const offset = Number(new URL(request.url).searchParams.get('offset') ?? 0)
    const end = offset + this.pageSize!
    const next = end < this.chat.length ? `/api/v1/models?offset=${end}` : null
    return Response.json({ ...listBody(this.chat.slice(offset, end)), links: { next } })
  }
}

/** Resolves when `condition` holds; fails the test if it never does within a few seconds. */
export async function waitFor(condition: () => boolean, what = 'condition', timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(2)
  }
}

/** Log events with a given name, from a memory logger's lines. */
export const events = (lines: string[], name: string) =>
  lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((e) => e.event === name)
