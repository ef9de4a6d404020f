import { errorEvent, type EventSink } from './sse-events'
import { SseRewriter } from './sse-rewriter'
import type { FailureKind } from './upstream-call'

const encoder = new TextEncoder()

export type StreamEnd = 'done' | FailureKind

export interface RelayHooks {
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
 */
export function relayStream(
  upstream: ReadableStream<Uint8Array>,
  includeUsage: boolean,
  hooks: RelayHooks,
): ReadableStream<Uint8Array> {
  const reader = upstream.getReader()
  const rewriter = new SseRewriter(includeUsage, hooks.sink)
  let ended = false

  const end = (how: StreamEnd) => {
    if (ended) return false
    ended = true
    hooks.end(how)
    return true
  }

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        let result: Awaited<ReturnType<typeof reader.read>>
        try {
          result = await reader.read()
        } catch (error) {
          const how = hooks.failureOf(error)
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
        hooks.chunk()
        const out = rewriter.push(result.value)
        if (out) {
          controller.enqueue(out)
          return
        }
      }
    },
    cancel() {
      if (!end('client_closed')) return
      hooks.abortUpstream()
      reader.cancel().catch(() => {})
    },
  })
}
