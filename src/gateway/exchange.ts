import type { ActiveKey } from '../auth/key-index'
import type { CatalogModel } from '../catalog/types'
import type { KeyLimits } from '../http/key-limits'
import type { RequestContext } from '../http/request-context'
import { unitsToMmk, type PriceFactors } from '../ledger/money'
import type { Hold, UsageRow } from '../ledger/types'
import { newId } from '../lib/ids'
import { logRequest } from '../ops/request-log'
import type { Services } from '../services'
import type { Endpoint } from './endpoints'
import { lookupGeneration } from './generation-lookup'
import { estimatePromptTokens } from './hold'
import type { GatewayMetrics } from './metrics'
import type { ProxyRequest } from './parse-request'
import { pricesOf } from './prices'
import { chargeUnits, costNanoOf } from './settle'
import type { KeySpend } from './spend'
import type { FailureKind } from './upstream-call'
import type { ReportedUsage } from './usage'

/** How a request ended, as its usage record says. */
export type UsageStatus =
  'ok' | 'error' | 'upstream_error' | 'client_closed' | 'timeout' | 'shutdown'

/** The usage status for an upstream call that failed or was cut short. */
export function statusForFailure(kind: FailureKind): UsageStatus {
  if (kind === 'client_closed' || kind === 'timeout' || kind === 'shutdown') return kind
  return 'upstream_error'
}

/** What the gateway shares across requests. */
export interface GatewayParts {
  services: Services
  metrics: GatewayMetrics
  spend: KeySpend
  /** Per-key requests per minute, at once, and spend caps (src/http/key-limits.ts). */
  limits: KeyLimits
}

export interface ExchangeInit {
  request: Request
  context: RequestContext
  endpoint: Endpoint
  key: ActiveKey
  model: CatalogModel
  parsed: ProxyRequest
  hold: Hold
  factors: PriceFactors
  /** Frees the key's concurrency slot; called when the answer is over. */
  releaseSlot?: () => void
}

/**
 * One proxied request from its hold to its settlement. It settles exactly once: from the
 * usage in the answer, from the upstream's generation record, or from an estimate.
 */
export class Exchange {
  /** Aborts the upstream call: client gone, timeout or shutdown. */
  readonly abort = new AbortController()
  readonly startedAt = performance.now()
  readonly createdAt: number
  generationId: string | null = null
  /** Answer chunks relayed so far: the estimate of completion tokens when nothing else is known. */
  answerTokens = 0
  private forwardedAt = 0
  private ttfbMs: number | null = null
  private settled = false
  /** A late settlement is under way; nothing else may settle or release meanwhile. */
  private settlingLate = false

  constructor(
    private readonly parts: GatewayParts,
    readonly init: ExchangeInit,
  ) {
    this.createdAt = parts.services.clock.now()
  }

  forwarded() {
    this.forwardedAt = performance.now()
  }

  firstByte() {
    if (this.ttfbMs !== null) return
    const now = performance.now()
    this.ttfbMs = Math.round(now - this.startedAt)
    this.parts.metrics.upstreamTtfb.observe((now - this.forwardedAt) / 1000, {
      route: this.init.endpoint.route,
    })
  }

  get isSettled() {
    return this.settled
  }

  /** Charges for `usage` and records it; answers the charge. Later calls change nothing. */
  settle(usage: ReportedUsage, status: UsageStatus, capped = false): number {
    if (this.settled) return this.init.context.chargedUnits ?? 0
    this.settled = true
    const { init, parts } = this
    const prices = pricesOf(init.model)
    const units = chargeUnits({
      usage,
      prices,
      factors: init.factors,
      holdUnits: init.hold.amountUnits,
      capped,
    })
    const costNano = costNanoOf(usage, null)
    parts.services.ledger.settle(init.hold.id, units, this.usageRow(status, usage, costNano, units))

    init.context.chargedUnits = units
    parts.spend.add(init.key.id, units, this.createdAt)
    if (units > 0) parts.metrics.chargedMmk.inc({ model: init.model.id }, unitsToMmk(units))
    return units
  }

  /** Gives the hold back and records the request with no charge. */
  release(status: UsageStatus) {
    if (this.settled || this.settlingLate) return
    this.settled = true
    const usage = { promptTokens: 0, completionTokens: 0, costNano: null }
    this.parts.services.ledger.release(this.init.hold.id, this.usageRow(status, usage, null, 0))
    this.init.context.chargedUnits = 0
  }

  /**
   * Settles without usage from the answer: from the upstream's generation record when it
   * turns up, else from an estimate of what was sent and streamed; never above the hold.
   */
  async settleLate(status: UsageStatus, signal: AbortSignal) {
    if (this.settled || this.settlingLate) return
    this.settlingLate = true
    const { config, upstream, logger } = this.parts.services
    const found = this.generationId
      ? await lookupGeneration(upstream, this.generationId, {
          tries: config.GENERATION_LOOKUP_TRIES,
          delayMs: config.GENERATION_LOOKUP_DELAY_MS,
          timeoutMs: config.UPSTREAM_HEADERS_TIMEOUT_MS,
          signal,
        })
      : null
    if (!found) {
      logger.info('gateway_settled_by_estimate', {
        requestId: this.init.context.id,
        generationId: this.generationId,
        status,
      })
    }
    this.settle(found ?? this.estimate(), status, true)
  }

  upstreamError(kind: string) {
    this.parts.metrics.upstreamErrors.inc({ kind })
  }

  /** Counts the request and, for an answer that outlived its handler, writes its log line. */
  finish(status: number, endedAt = performance.now()) {
    const { metrics, services } = this.parts
    const { endpoint, model, context, request } = this.init
    const route = endpoint.route
    metrics.requests.inc({ route, status, model: model.id })
    metrics.latency.observe((endedAt - this.startedAt) / 1000, { route })
    this.init.releaseSlot?.()
    if (this.generationId) context.generationId = this.generationId
    if (context.logWhenDone) logRequest(services.logger, request, { route, status })
  }

  private estimate(): ReportedUsage {
    return {
      promptTokens: estimatePromptTokens(this.init.parsed.raw.bytes),
      completionTokens: this.answerTokens,
      costNano: null,
    }
  }

  private usageRow(
    status: UsageStatus,
    usage: ReportedUsage,
    costNano: bigint | null,
    units: number,
  ): UsageRow {
    const { init } = this
    return {
      id: newId('req', this.createdAt),
      accountId: init.key.accountId,
      keyId: init.key.id,
      endpoint: init.endpoint.name,
      model: init.model.id,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      upstreamCostNanoUsd: costNano === null ? null : Number(costNano),
      usdToMmkRate: String(init.factors.usdToMmkRate),
      priceMarkup: String(init.factors.priceMarkup),
      chargedUnits: units,
      status,
      latencyMs: Math.round(performance.now() - this.startedAt),
      ttfbMs: this.ttfbMs,
      generationId: this.generationId,
      createdAt: this.createdAt,
    }
  }
}
