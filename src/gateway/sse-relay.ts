import { quietTimer, type QuietTimer } from './quiet-timer'
import { errorEvent, KEEP_ALIVE, type EventSink } from './sse-events'
import { SseRewriter } from './sse-rewriter'
import type { FailureKind } from './upstream-call'

const encoder = new TextEncoder()

export type StreamEnd = 'done' | FailureKind

export interface RelayOptions {
  /** Whether the client asked for the usage chunk. */
  includeUsage: boolean
  /** After this long with nothing sent, the client gets a keep-alive comment. */
  keepAliveMs: number
  sink: EventSink
  /** Every upstream chunk, as it arrives (the idle timer and time to first byte watch it). */
  chunk(): void
  /** Why a failed read failed. */
  failureOf(error: unknown): FailureKind
  /** Called once, however the stream ends; `client_closed` when the client went away. */
  end(how: StreamEnd): void
  /** Stops the upstream at once. */
  abortUpstream(): void
}

/**
 * The client's stream: each upstream chunk is read, rewritten where needed and handed on
 * before the next is read, so nothing is buffered. A client that leaves cancels this stream,
 * which aborts the upstream; an upstream that fails mid-way gets an error event and an end.
 * A long silence gets keep-alive comments, so that no proxy between closes the connection.
 */
export function relayStream(
  upstream: ReadableStream<Uint8Array>,
  options: RelayOptions,
): ReadableStream<Uint8Array> {
  const reader = upstream.getReader()
  const rewriter = new SseRewriter(options.includeUsage, options.sink)
  let keepAlive: QuietTimer | undefined
  let ended = false

  const end = (how: StreamEnd) => {
    if (ended) return false
    ended = true
    keepAlive?.stop()
    options.end(how)
    return true
  }

  return new ReadableStream<Uint8Array>({
    start(controller) {
      keepAlive = quietTimer(options.keepAliveMs, () => {
        // A fresh buffer each time: a chunk handed to a stream may be detached by its reader.
        if (!ended) controller.enqueue(encoder.encode(`${KEEP_ALIVE}\n\n`))
      })
    },
    async pull(controller) {
      for (;;) {
        let result: Awaited<ReturnType<typeof reader.read>>
        try {
          result = await reader.read()
        } catch (error) {
          const how = options.failureOf(error)
          if (ended) return
          if (how !== 'client_closed') {
            controller.enqueue(encoder.encode(errorEvent({ code: how }) + '\n\n'))
          }
          controller.close()
          end(how)
          return
        }
        if (ended) return
        if (result.done) {
          const rest = rewriter.flush()
          if (rest) controller.enqueue(rest)
          controller.close()
          end('done')
          return
        }
        options.chunk()
        const out = rewriter.push(result.value)
        if (out) {
          controller.enqueue(out)
          keepAlive?.touch()
          return
        }
      }
    },
    cancel() {
      if (!end('client_closed')) return
      options.abortUpstream()
      reader.cancel().catch(() => {})
    },
  })
}
