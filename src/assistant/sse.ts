import type { PortalContext } from '../portal/context'
import { securityHeaders } from '../portal/security-headers'

/** One SSE message carrying an HTML fragment; htmx swaps each as it arrives. */
export function sseMessage(html: string): string {
  const data = html
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}`)
    .join('\n')
  return `${data}\n\n`
}

/**
 * A `text/event-stream` answer that pulls one message at a time, so nothing is produced ahead of
 * what the client reads, and a client that goes away stops the generator.
 */
export function eventStream(ctx: Pick<PortalContext, 'cookies'>, messages: AsyncGenerator<string>) {
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await messages.next()
      if (next.done) controller.close()
      else controller.enqueue(encoder.encode(next.value))
    },
    async cancel() {
      await messages.return(undefined)
    },
  })

  const headers = new Headers({
    ...securityHeaders,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
  })
  for (const cookie of ctx.cookies) headers.append('set-cookie', cookie)
  return new Response(body, { headers })
}
