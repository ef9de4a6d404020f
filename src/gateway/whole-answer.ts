import { answerJsonHeaders } from './answer-headers'
import { choiceFailed, readAnswer, replaceUsage } from './answer-body'
import { settleInBackground } from './background'
import { generationIdIn } from './generation-id'
import { statusForFailure, type Exchange, type GatewayParts } from './exchange'
import { readCapped } from '../http/read-capped'
import { stripUpstreamFields } from './sanitize'
import { failureKind, UpstreamFailure, UpstreamTimeout } from './upstream-call'
import { chargedFailureError, clientErrorFor } from './upstream-errors'
import { clientUsage, readUsage } from './usage'
import { wholeAsStream } from './whole-as-stream'

/** An answer larger than this is not a chat or embedding answer anyone should relay. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024
/** A declared length this small is read in one native call rather than counted chunk by chunk. */
const SMALL_ANSWER_BYTES = 1024 * 1024

/**
 * Relays a whole (non-streamed) answer: settles from its usage, puts the MMK charge where the
 * upstream's USD cost was, and drops upstream-only fields. A client that asked for a stream
 * gets the answer as one.
 */
export async function wholeAnswer(parts: GatewayParts, exchange: Exchange, response: Response) {
  const text = await readAnswerText(parts, exchange, response)
  const answer = readAnswer(text)

  if (answer.kind === 'error') {
    exchange.upstreamError('status')
    exchange.release('error')
    throw clientErrorFor(answer.info)
  }
  if (answer.kind === 'unreadable') {
    exchange.upstreamError('body')
    void settleInBackground(parts, exchange, 'upstream_error')
    throw chargedFailureError('body')
  }

  const status = choiceFailed(text) ? 'upstream_error' : 'ok'
  if (status !== 'ok') exchange.upstreamError('choice')
  const reported = answer.kind === 'usage' ? readUsage(answer.located.usage) : null
  let body = text
  if (answer.kind === 'usage') {
    const { usage } = answer.located
    const charged = reported ? exchange.settle(reported, status) : undefined
    body = replaceUsage(answer.text, answer.located, clientUsage(usage, charged))
  }
  if (!reported) {
    // No usable usage: the cost is looked up after the answer has gone, or estimated.
    exchange.generationId ??= generationIdIn(text)
    exchange.answerTokens = Math.ceil(text.length / 4)
    void settleInBackground(parts, exchange, status)
  }
  exchange.finish(200)
  const { parsed } = exchange.init
  const relayed = stripUpstreamFields(body)
  const retold = parsed.stream ? wholeAsStream(relayed, parsed.includeUsage) : null
  return retold ?? new Response(relayed, { headers: answerJsonHeaders })
}

async function readAnswerText(parts: GatewayParts, exchange: Exchange, response: Response) {
  const { abort, init } = exchange
  const timer = setTimeout(
    () => abort.abort(new UpstreamTimeout()),
    parts.services.config.STREAM_IDLE_TIMEOUT_MS,
  )
  try {
    const declared = response.headers.get('content-length')
    if (declared !== null && Number(declared) <= SMALL_ANSWER_BYTES) return await response.text()
    const read = response.body ? await readCapped(response.body, MAX_ANSWER_BYTES) : null
    if (!read) throw new UpstreamFailure('body')
    return read.text
  } catch (error) {
    const kind = failureKind({ abort, clientRequest: init.request }, error)
    exchange.upstreamError(kind)
    void settleInBackground(parts, exchange, statusForFailure(kind))
    throw chargedFailureError(kind)
  } finally {
    clearTimeout(timer)
  }
}
