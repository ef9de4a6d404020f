import type { CatalogModel } from '../catalog/types'
import { chargeUnitsForNanoUsd, UNITS_PER_MMK, type PriceFactors } from '../ledger/money'
import { catalogCostNano, pricesOf } from './prices'

/** How many prompt bytes we assume per token: generous, so the hold is rarely short. */
const BYTES_PER_TOKEN = 3

export function estimatePromptTokens(bodyBytes: number): number {
  return Math.ceil(bodyBytes / BYTES_PER_TOKEN)
}

export interface HoldInput {
  model: CatalogModel
  bodyBytes: number
  /** The completion tokens the upstream may write in all (cap × choices); 0 for embeddings. */
  maxTokens: number
  factors: PriceFactors
  unknownPriceHoldMmk: number
}

/**
 * The most this request may cost, in ledger units: the whole body counted as prompt, the
 * full completion allowance of every choice asked for, and the request fee, at catalog prices.
 * A model without a published price gets a fixed hold instead, and is billed only from the
 * upstream's cost.
 */
export function holdUnits(input: HoldInput): number {
  const prices = pricesOf(input.model)
  if (!prices) return input.unknownPriceHoldMmk * UNITS_PER_MMK

  const promptTokens = estimatePromptTokens(input.bodyBytes)
  const costNano = catalogCostNano(prices, promptTokens, input.maxTokens)
  return chargeUnitsForNanoUsd(costNano, input.factors)
}
