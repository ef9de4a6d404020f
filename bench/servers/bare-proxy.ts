/**
 * The floor of what any proxy adds: Bun.serve plus Bun's fetch, forwarding the body and an
 * allow-list of headers both ways, with streams passed through untouched. Run as its own
 * process: `PORT=0 TARGET=http://127.0.0.1:1234 bun bench/servers/bare-proxy.ts`.
 */

const target = process.env.TARGET ?? ''
const requestHeaders = ['content-type', 'accept', 'authorization']
const responseHeaders = ['content-type', 'cache-control']

function pick(headers: Headers, names: string[]) {
  const picked = new Headers()
  for (const name of names) {
    const value = headers.get(name)
    if (value !== null) picked.set(name, value)
  }
  return picked
}

const proxy = Bun.serve({
  port: Number(process.env.PORT ?? 0),
  hostname: '127.0.0.1',
  idleTimeout: 120,
  async fetch(request) {
    const url = new URL(request.url)
    const upstream = await fetch(target + url.pathname.replace(/^\/v1/, '') + url.search, {
      method: request.method,
      headers: pick(request.headers, requestHeaders),
      body: request.method === 'GET' ? undefined : await request.arrayBuffer(),
      signal: request.signal,
    })
    return new Response(upstream.body, {
      status: upstream.status,
      headers: pick(upstream.headers, responseHeaders),
    })
  },
})

console.log(`listening ${proxy.url.href.replace(/\/$/, '')}`)
