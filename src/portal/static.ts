import { Elysia } from 'elysia'
import { publicAssets } from './assets'
import { securityHeaders } from './security-headers'

const YEAR = 365 * 24 * 3600

/** Serves public/: htmx (pinned copy), our CSS and scripts, and the Noto Sans Myanmar font. */
export function staticFiles() {
  return new Elysia({ name: 'portal-static' }).get('/public/*', ({ params, request }) => {
    const asset = publicAssets().get(params['*'])
    if (!asset) return new Response('Not found', { status: 404, headers: securityHeaders })

    const versioned = new URL(request.url).searchParams.get('v') === asset.hash
    const headers: Record<string, string> = {
      ...securityHeaders,
      'content-type': asset.type,
      etag: `"${asset.hash}"`,
      'cache-control': versioned ? `public, max-age=${YEAR}, immutable` : 'public, max-age=300',
      vary: 'accept-encoding',
    }
    if (request.headers.get('if-none-match') === `"${asset.hash}"`) {
      return new Response(null, { status: 304, headers })
    }
    const gzip = asset.gzip && /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '')
    if (gzip) headers['content-encoding'] = 'gzip'
    return new Response(gzip ? asset.gzip : asset.body, { headers })
  })
}
