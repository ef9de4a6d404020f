import { ArcticFetchError, OAuth2Client, OAuth2RequestError, generateState } from 'arctic'

/**
 * GitHub sign-in, the one module that knows arctic (3.7.0, no longer maintained upstream), so
 * replacing it stays a change to this file. We use arctic's generic client with our own base
 * URLs rather than its GitHub class, whose endpoints are fixed to github.com and cannot point at
 * a test server.
 */

export interface GithubUser {
  /** GitHub's stable numeric id, as text; a login can be renamed, this cannot. */
  id: string
  login: string
  name: string
  email: string | null
}

export type GithubFailure = 'denied' | 'network' | 'rejected' | 'unexpected'

/** Why a sign-in failed, without the secrets or tokens involved. */
export class GithubSignInError extends Error {
  constructor(
    readonly failure: GithubFailure,
    message: string,
    readonly githubCode?: string,
  ) {
    super(message)
  }
}

export interface GithubOAuthOptions {
  clientId: string
  clientSecret: string
  redirectUri: string
  /** `https://github.com` in production; a local fake in tests. */
  baseUrl: string
  /** `https://api.github.com` in production. */
  apiUrl: string
}

export interface GithubOAuth {
  newState(): string
  authorizationUrl(state: string): URL
  /** Exchanges the callback's code and reads who signed in. */
  signIn(code: string, signal?: AbortSignal): Promise<GithubUser>
}

const scopes = ['read:user', 'user:email']

export function githubOAuth(options: GithubOAuthOptions): GithubOAuth {
  const client = new OAuth2Client(options.clientId, options.clientSecret, options.redirectUri)

  return {
    newState: generateState,
    authorizationUrl: (state) =>
      client.createAuthorizationURL(`${options.baseUrl}/login/oauth/authorize`, state, scopes),
    signIn: async (code, signal) => {
      const accessToken = await exchangeCode(client, options.baseUrl, code)
      return readUser(options.apiUrl, accessToken, signal)
    },
  }
}

async function exchangeCode(client: OAuth2Client, baseUrl: string, code: string) {
  let data: object
  try {
    const tokens = await client.validateAuthorizationCode(
      `${baseUrl}/login/oauth/access_token`,
      code,
      null,
    )
    data = tokens.data
  } catch (error) {
    if (error instanceof ArcticFetchError) {
      throw new GithubSignInError('network', 'GitHub token endpoint unreachable')
    }
    if (error instanceof OAuth2RequestError) {
      throw new GithubSignInError('rejected', 'GitHub refused the code', error.code)
    }
    throw new GithubSignInError('unexpected', 'GitHub token endpoint answered unexpectedly')
  }

  // GitHub reports a bad or reused code with HTTP 200 and an `error` field, which arctic's
  // generic client hands back as if it were tokens.
  const body = data as Record<string, unknown>
  if (typeof body.error === 'string') {
    throw new GithubSignInError('rejected', 'GitHub refused the code', body.error)
  }
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw new GithubSignInError('unexpected', 'GitHub sent no access token')
  }
  return body.access_token
}

async function readUser(apiUrl: string, token: string, signal?: AbortSignal): Promise<GithubUser> {
  const profile = await githubGet(`${apiUrl}/user`, token, signal)
  if (!isProfile(profile)) {
    throw new GithubSignInError('unexpected', 'GitHub user profile has an unexpected shape')
  }
  const email = profile.email ?? (await primaryEmail(apiUrl, token, signal))
  return {
    id: String(profile.id),
    login: profile.login,
    name: profile.name?.trim() || profile.login,
    email,
  }
}

/** The primary verified address; a missing scope or odd answer just means no email. */
async function primaryEmail(apiUrl: string, token: string, signal?: AbortSignal) {
  const emails = await githubGet(`${apiUrl}/user/emails`, token, signal).catch(() => undefined)
  if (!Array.isArray(emails)) return null
  const primary = emails.find(
    (e): e is { email: string } =>
      typeof e === 'object' && e !== null && e.primary === true && e.verified === true,
  )
  return typeof primary?.email === 'string' ? primary.email : null
}

async function githubGet(url: string, token: string, signal?: AbortSignal): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(url, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        // GitHub's API refuses requests without a User-Agent.
        'user-agent': 'sargalay',
      },
      signal,
    })
  } catch {
    throw new GithubSignInError('network', 'GitHub API unreachable')
  }
  if (!response.ok) {
    throw new GithubSignInError('unexpected', `GitHub API answered ${response.status}`)
  }
  return response.json().catch(() => {
    throw new GithubSignInError('unexpected', 'GitHub API sent a body that is not JSON')
  })
}

interface Profile {
  id: number
  login: string
  name?: string | null
  email?: string | null
}

function isProfile(value: unknown): value is Profile {
  const p = value as Partial<Profile> | null
  return typeof p?.id === 'number' && typeof p.login === 'string' && p.login !== ''
}
