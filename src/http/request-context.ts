import { randomHex } from '../lib/ids'

/** What one request has learned about itself, for its log line and its error answers. */
export interface RequestContext {
  id: string
  startedAt: number
  accountId?: string
  keyId?: string
  model?: string
  chargedUnits?: number
  /** The upstream's id for the answer, so that a log line can be matched with its records. */
  generationId?: string
  /** Set by the error handler: the status of the error answer actually sent. */
  status?: number
  /**
   * A streamed answer ends long after its handler returns; its owner sets this and writes the
   * request's log line itself when the stream is done.
   */
  logWhenDone?: boolean
}

const contexts = new WeakMap<Request, RequestContext>()

const saneId = /^[A-Za-z0-9._:-]{8,128}$/

/** Starts a request's context, keeping the caller's X-Request-Id when it is sane. */
export function beginRequest(request: Request, now: number): RequestContext {
  const offered = request.headers.get('x-request-id')
  const id = offered && saneId.test(offered) ? offered : `req_${randomHex(12)}`
  const context = { id, startedAt: now }
  contexts.set(request, context)
  return context
}

export function contextOf(request: Request): RequestContext {
  return contexts.get(request) ?? beginRequest(request, performance.now())
}
