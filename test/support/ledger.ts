import { auditLedger } from '../../src/ledger/audit'
import type { UsageRow } from '../../src/ledger/types'
import { newId } from '../../src/lib/ids'
import type { Services } from '../../src/services'

/** Runs the ledger audit with no tolerance for old holds beyond a minute. */
export function audit(services: Services) {
  return auditLedger(services.db, services.ledger, {
    maxHoldAgeMs: 60_000,
    now: services.clock.now(),
  })
}

export function usageRow(overrides: Partial<UsageRow> = {}): UsageRow {
  return {
    id: newId('req'),
    accountId: '',
    keyId: null,
    endpoint: 'chat.completions',
    model: 'test/model',
    promptTokens: 10,
    completionTokens: 20,
    upstreamCostNanoUsd: null,
    usdToMmkRate: '4500',
    priceMarkup: '1.2',
    chargedUnits: 0,
    status: 'ok',
    latencyMs: 5,
    ttfbMs: 2,
    generationId: null,
    createdAt: Date.now(),
    ...overrides,
  }
}
