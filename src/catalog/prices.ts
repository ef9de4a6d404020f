import type { ModelPricing } from './types'

// Plain decimals and exponent forms only: no sign, no hex, no "Infinity" or "NaN".
const USD_TEXT = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

/**
 * An upstream price as USD decimal text, or null when it is unknown. Missing, non-numeric,
 * infinite and negative values are unknown (OpenRouter's "-1" marks a router whose price varies
 * by route), never zero: only "0" means free.
 */
export function parseUsdPrice(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? String(value) : null
  if (typeof value !== 'string') return null
  const text = value.trim()
  if (!USD_TEXT.test(text)) return null
  return Number.isFinite(Number(text)) ? text : null
}

/** Reads the four priced units from an upstream `pricing` object of any shape. */
export function parsePricing(pricing: unknown): ModelPricing {
  const source = (typeof pricing === 'object' && pricing !== null ? pricing : {}) as Record<
    string,
    unknown
  >
  return {
    prompt: parseUsdPrice(source.prompt),
    completion: parseUsdPrice(source.completion),
    request: parseUsdPrice(source.request),
    image: parseUsdPrice(source.image),
  }
}

const isZero = (price: string | null) => price !== null && Number(price) === 0

/** Free means both token prices are known to be zero and no request fee is charged. */
export function isFree(pricing: ModelPricing): boolean {
  const noRequestFee = pricing.request === null || isZero(pricing.request)
  return isZero(pricing.prompt) && isZero(pricing.completion) && noRequestFee
}

export function samePricing(a: ModelPricing, b: ModelPricing): boolean {
  return (
    a.prompt === b.prompt &&
    a.completion === b.completion &&
    a.request === b.request &&
    a.image === b.image
  )
}
