/**
 * A local stand-in for GitHub's OAuth and user endpoints (PROTOCOLS.md Part 3). Like GitHub, the
 * token endpoint reports a bad code with HTTP 200 and an `error` field.
 */
export interface FakeGithubUser {
  id: number
  login: string
  name: string | null
  email: string | null
  emails?: { email: string; primary: boolean; verified: boolean }[]
}

export class FakeGithub {
  readonly clientId = 'test-client-id'
  readonly clientSecret = 'test-client-secret-value'
  user: FakeGithubUser = {
    id: 4242,
    login: 'mgmg',
    name: 'Mg Mg',
    email: null,
    emails: [{ email: 'mgmg@example.com', primary: true, verified: true }],
  }
  tokenRequests: { authorization: string | null; body: string }[] = []
  private readonly codes = new Map<string, { redirectUri: string }>()
  private readonly tokens = new Set<string>()
  private readonly server: ReturnType<typeof Bun.serve>

  constructor() {
    this.server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (r) => this.answer(r) })
  }

  get baseUrl() {
    return `http://127.0.0.1:${this.server.port}`
  }

  stop() {
    return this.server.stop(true)
  }

  private async answer(request: Request): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname === '/login/oauth/authorize') return this.authorize(url)
    if (url.pathname === '/login/oauth/access_token') return this.token(request)
    if (url.pathname === '/user' || url.pathname === '/user/emails') return this.api(request, url)
    return new Response('not found', { status: 404 })
  }

  private authorize(url: URL) {
    const redirectUri = url.searchParams.get('redirect_uri') ?? ''
    const state = url.searchParams.get('state') ?? ''
    const back = new URL(redirectUri)
    back.searchParams.set('state', state)
    if (url.searchParams.get('client_id') !== this.clientId) {
      back.searchParams.set('error', 'application_suspended')
    } else if (url.searchParams.get('login') === 'deny') {
      back.searchParams.set('error', 'access_denied')
    } else {
      const code = crypto.randomUUID()
      this.codes.set(code, { redirectUri })
      back.searchParams.set('code', code)
    }
    return new Response(null, { status: 302, headers: { location: back.toString() } })
  }

  private async token(request: Request) {
    const body = await request.text()
    const authorization = request.headers.get('authorization')
    this.tokenRequests.push({ authorization, body })
    const form = new URLSearchParams(body)
    const expected = `Basic ${btoa(`${this.clientId}:${this.clientSecret}`)}`
    if (authorization !== expected) return Response.json({ error: 'incorrect_client_credentials' })
    const code = form.get('code') ?? ''
    const issued = this.codes.get(code)
    this.codes.delete(code)
    if (!issued) {
      return Response.json({
        error: 'bad_verification_code',
        error_description: 'The code passed is incorrect or expired.',
        error_uri: 'https://docs.github.com/apps/troubleshooting',
      })
    }
    const token = `gho_${crypto.randomUUID().replace(/-/g, '')}`
    this.tokens.add(token)
    return Response.json({
      access_token: token,
      token_type: 'bearer',
      scope: 'read:user,user:email',
    })
  }

  private api(request: Request, url: URL) {
    const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? ''
    if (!this.tokens.has(token))
      return Response.json({ message: 'Bad credentials' }, { status: 401 })
    if (!request.headers.get('user-agent')) return new Response('UA required', { status: 403 })
    if (url.pathname === '/user/emails') return Response.json(this.user.emails ?? [])
    const { emails: _, ...profile } = this.user
    return Response.json(profile)
  }
}
