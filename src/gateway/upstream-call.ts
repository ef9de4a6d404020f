import { ShutdownAbort } from '../ops/in-flight'
import type { UpstreamTarget } from '../services'

/** Client headers worth passing on: OpenRouter's app attribution. Nothing else crosses. */
const PASSED_HEADERS = ['http-referer', 'x-title', 'x-openrouter-title', 'x-openrouter-categories']

export type FailureKind = 'network' | 'timeout' | 'client_closed' | 'shutdown' | 'body'

/** Why no usable upstream answer arrived, told apart for the status, the log and metrics. */
export class UpstreamFailure extends Error {
  constructor(readonly kind: FailureKind) {
    super(`upstream call failed: ${kind}`)
  }
}

/** The abort reason for a silent upstream: the headers or the next chunk came too late. */
export class UpstreamTimeout extends Error {
  constructor() {
    super('The upstream provider was silent for too long.')
    this.name = 'UpstreamTimeout'
  }
}

export interface UpstreamRequest {
  target: UpstreamTarget
  path: string
  body: string
  clientRequest: Request
  /** Aborts the call: client gone, timeout or shutdown. */
  abort: AbortController
  headersTimeoutMs: number
}

/**
 * POSTs to the upstream with the operator's key and waits for the response headers, at most
 * `headersTimeoutMs`. A client disconnect aborts the call through the request's signal.
 */
export async function callUpstream(call: UpstreamRequest): Promise<Response> {
  const signal = AbortSignal.any([call.clientRequest.signal, call.abort.signal])
  const timer = setTimeout(() => call.abort.abort(new UpstreamTimeout()), call.headersTimeoutMs)
  try {
    return await fetch(call.target.baseUrl + call.path, {
      method: 'POST',
      headers: upstreamHeaders(call.target, call.clientRequest),
      body: call.body,
      signal,
    })
  } catch (error) {
    throw new UpstreamFailure(failureKind(call, error))
  } finally {
    clearTimeout(timer)
  }
}

function upstreamHeaders(target: UpstreamTarget, request: Request) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`
  for (const name of PASSED_HEADERS) {
    const value = request.headers.get(name)
    if (value) headers[name] = value
  }
  return headers
}

/** What ended a call or a stream read: our own abort reasons first, then the client. */
export function failureKind(
  call: Pick<UpstreamRequest, 'abort' | 'clientRequest'>,
  error: unknown,
) {
  const reason = call.abort.signal.aborted ? call.abort.signal.reason : undefined
  if (reason instanceof UpstreamTimeout) return 'timeout'
  if (reason instanceof ShutdownAbort) return 'shutdown'
  if (call.clientRequest.signal.aborted || reason !== undefined) return 'client_closed'
  return error instanceof UpstreamFailure ? error.kind : 'network'
}
