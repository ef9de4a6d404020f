import type { CatalogModel } from '../catalog/types'
import { decimalToScaled } from '../ledger/money'

/**
 * Catalog prices as integers of femto-USD (1e-15) per unit, parsed once per model object.
 * Femto keeps sub-nano prices such as "0.0000000375" per token exact until the total is
 * rounded up to nano-USD once.
 */
export interface ParsedPrices {
  prompt: bigint
  completion: bigint
  request: bigint
}

const FEMTO_DIGITS = 15
const FEMTO_PER_NANO = 1_000_000n
const parsed = new WeakMap<CatalogModel, ParsedPrices | null>()

/** The model's prices, or null when the prompt or completion price is unknown. */
export function pricesOf(model: CatalogModel): ParsedPrices | null {
  const known = parsed.get(model)
  if (known !== undefined) return known

  const { prompt, completion, request } = model.pricing
  const femto = (price: string | null) =>
    price === null ? null : decimalToScaled(price, FEMTO_DIGITS)
  const p = femto(prompt)
  const c = femto(completion)
  const result =
    p === null || c === null ? null : { prompt: p, completion: c, request: femto(request) ?? 0n }
  parsed.set(model, result)
  return result
}

/** USD cost of a token count at catalog prices, in nano-USD rounded up. */
export function catalogCostNano(
  prices: ParsedPrices,
  promptTokens: number,
  completionTokens: number,
) {
  const femto =
    BigInt(promptTokens) * prices.prompt +
    BigInt(completionTokens) * prices.completion +
    prices.request
  return (femto + FEMTO_PER_NANO - 1n) / FEMTO_PER_NANO
}
