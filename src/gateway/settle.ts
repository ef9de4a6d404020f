import { chargeUnitsForNanoUsd, MAX_BALANCE_UNITS, type PriceFactors } from '../ledger/money'
import { catalogCostNano, type ParsedPrices } from './prices'
import type { ReportedUsage } from './usage'

export interface ChargeInput {
  usage: ReportedUsage
  /** Catalog prices; null when the model's price is unknown. */
  prices: ParsedPrices | null
  factors: PriceFactors
  holdUnits: number
  /** The usage is a late lookup or an estimate, so the charge never exceeds the hold. */
  capped: boolean
}

/** The upstream's USD cost behind a charge: reported, or counted at catalog prices. */
export function costNanoOf(usage: ReportedUsage, prices: ParsedPrices | null): bigint | null {
  if (usage.costNano !== null) return usage.costNano
  if (!prices) return null
  return catalogCostNano(prices, usage.promptTokens, usage.completionTokens)
}

/**
 * What a request costs its account, in ledger units: the upstream's reported USD cost, else
 * its tokens at catalog prices, times rate and markup, rounded up. A model whose price is
 * unknown and whose cost was not reported is charged its hold: unpriced is never free.
 */
export function chargeUnits(input: ChargeInput): number {
  const costNano = costNanoOf(input.usage, input.prices)
  const units = costNano === null ? input.holdUnits : chargeUnitsForNanoUsd(costNano, input.factors)
  return input.capped ? Math.min(units, input.holdUnits) : units
}
