/**
 * One streamed answer relayed in each of the ways a Bun server can relay it, each on its own
 * path, for `bench/relay-forms.ts`: `/pass` hands the upstream's body to the response (what the
 * bare proxy does, no JavaScript per chunk), `/pulled` reads it chunk by chunk into a pulled
 * ReadableStream (what Sargalay's relay does), `/direct` writes each chunk to Bun's direct
 * stream and flushes it, and `/transform` pipes it through a TransformStream. None of them
 * looks at the bytes, so the differences are the relay's form alone.
 * `PORT=0 TARGET=http://127.0.0.1:1234 bun bench/servers/relay-forms.ts`
 */

export {}

const target = process.env.TARGET ?? ''
const sse = { 'content-type': 'text/event-stream' }

type Chunks = ReadableStream<Uint8Array>

const forms: Record<string, (body: Chunks) => Chunks> = {
  pass: (body) => body,
  pulled(body) {
    const reader = body.getReader()
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { value, done } = await reader.read()
        if (done) controller.close()
        else controller.enqueue(value)
      },
    })
  },
  direct(body) {
    const reader = body.getReader()
    // Bun's own stream type, which the DOM typings do not know.
    const direct = {
      type: 'direct',
      async pull(controller: { write(b: Uint8Array): void; flush(): void; close(): void }) {
        for (;;) {
          const { value, done } = await reader.read()
          if (done) return controller.close()
          controller.write(value)
          controller.flush()
        }
      },
    }
    return new ReadableStream(direct as never) as Chunks
  },
  transform: (body) => body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>()),
}

const server = Bun.serve({
  port: Number(process.env.PORT ?? 0),
  hostname: '127.0.0.1',
  idleTimeout: 120,
  async fetch(request) {
    const path = new URL(request.url).pathname
    if (path === '/ready') return new Response('ready')
    const form = forms[path.split('/')[1] ?? '']
    if (!form) return new Response('unknown form', { status: 404 })
    const upstream = await fetch(`${target}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: await request.text(),
    })
    return new Response(form(upstream.body!), { headers: sse })
  },
})

console.log(`listening ${server.url.href.replace(/\/$/, '')}`)
