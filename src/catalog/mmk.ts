import { decimalToScaled, UNITS_PER_MMK, type PriceFactors } from '../ledger/money'
import type { ModelPricing } from './types'

/** Prices as a user pays them, in MMK rounded to the ledger unit; null when unknown. */
export interface MmkPricing {
  promptPer1M: number | null
  completionPer1M: number | null
  request: number | null
  image: number | null
}

const USD_DIGITS = 15
const FACTOR_DIGITS = 6
const TOKENS = 1_000_000n

/**
 * USD per unit × rate × markup, in MMK per `per` units. Exact integer arithmetic, rounded half
 * up to 1/10,000 MMK, so a displayed price never drifts from what the ledger would compute.
 */
export function usdToMmk(usd: string | null, factors: PriceFactors, per = 1n): number | null {
  if (usd === null) return null
  const price = decimalToScaled(usd, USD_DIGITS)
  const rate = decimalToScaled(factors.usdToMmkRate, FACTOR_DIGITS)
  const markup = decimalToScaled(factors.priceMarkup, FACTOR_DIGITS)
  if (price === null || rate === null || markup === null) return null

  const numerator = price * rate * markup * per * BigInt(UNITS_PER_MMK)
  const denominator = 10n ** BigInt(USD_DIGITS + 2 * FACTOR_DIGITS)
  const units = (numerator + denominator / 2n) / denominator
  return Number(units) / UNITS_PER_MMK
}

export function pricingInMmk(pricing: ModelPricing, factors: PriceFactors): MmkPricing {
  return {
    promptPer1M: usdToMmk(pricing.prompt, factors, TOKENS),
    completionPer1M: usdToMmk(pricing.completion, factors, TOKENS),
    request: usdToMmk(pricing.request, factors),
    image: usdToMmk(pricing.image, factors),
  }
}
