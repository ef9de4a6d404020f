import { ShutdownAbort } from '../ops/in-flight'
import { answerStreamHeaders } from './answer-headers'
import { statusForFailure, type Exchange, type GatewayParts, type UsageStatus } from './exchange'
import { quietTimer } from './quiet-timer'
import type { EventSink } from './sse-events'
import { relayStream, type StreamEnd } from './sse-relay'
import { failureKind, UpstreamTimeout } from './upstream-call'
import { readUsage } from './usage'

/**
 * Relays a streamed answer. The exchange settles the moment the usage event passes; a stream
 * that ends without one (client gone, upstream failed or silent, shutdown) settles late.
 * Its log line and metrics are written when the stream is over and its money settled.
 */
export function streamAnswer(parts: GatewayParts, exchange: Exchange, upstream: Response) {
  const { services, metrics } = parts
  const { init, abort } = exchange
  const work = services.inFlight.begin()
  work.signal.addEventListener('abort', () => abort.abort(new ShutdownAbort()), { once: true })
  const { config } = services
  const idle = quietTimer(config.STREAM_IDLE_TIMEOUT_MS, () => abort.abort(new UpstreamTimeout()))
  let failedMidStream = false

  const sink: EventSink = {
    get wantsGenerationId() {
      return exchange.generationId === null
    },
    generationId: (id) => (exchange.generationId = id),
    content: () => exchange.answerTokens++,
    usage: (usage) => {
      const reported = readUsage(usage)
      if (!reported) return undefined
      return exchange.settle(reported, failedMidStream ? 'upstream_error' : 'ok')
    },
    error: () => {
      failedMidStream = true
      exchange.upstreamError('stream')
    },
  }

  const end = (how: StreamEnd) => {
    const endedAt = performance.now()
    idle.stop()
    metrics.streamsInFlight.add(-1)
    if (how !== 'done' && how !== 'client_closed') exchange.upstreamError(how)
    const status: UsageStatus =
      how === 'done' ? (failedMidStream ? 'upstream_error' : 'ok') : statusForFailure(how)
    exchange
      .settleLate(status, work.signal)
      .catch((error) => services.logger.error('gateway_settle_failed', { error }))
      .finally(() => {
        exchange.finish(200, endedAt)
        work.done()
      })
  }

  init.context.logWhenDone = true
  metrics.streamsInFlight.add(1)
  const body = relayStream(upstream.body!, {
    includeUsage: init.parsed.includeUsage,
    keepAliveMs: config.STREAM_KEEPALIVE_MS,
    sink,
    chunk: () => {
      idle.touch()
      exchange.firstByte()
    },
    failureOf: (error) => failureKind({ abort, clientRequest: init.request }, error),
    abortUpstream: () => abort.abort(),
    end,
  })
  return new Response(body, { headers: answerStreamHeaders })
}
