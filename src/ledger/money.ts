/**
 * Ledger money. Balances are integers of a minor unit, 1/10,000 of a kyat, so rounding a single
 * charge up to the next unit costs at most 0.0001 MMK. JSON at the edges speaks MMK as numbers.
 */
export const UNITS_PER_MMK = 10_000

/** The largest balance an account may hold: far below 2^53 units, so sums stay exact. */
export const MAX_BALANCE_UNITS = 100_000_000_000 * UNITS_PER_MMK

const SCALE = 1_000_000n
const NANO_PER_USD = 1_000_000_000n

/** Kyat with at most 4 decimals to units; anything finer or not finite is refused. */
export function mmkToUnits(mmk: number): number {
  if (!Number.isFinite(mmk)) throw new RangeError('amount must be a finite number')
  const units = Math.round(mmk * UNITS_PER_MMK)
  if (Math.abs(units - mmk * UNITS_PER_MMK) > 1e-6 * Math.max(1, Math.abs(units))) {
    throw new RangeError('amount has more than 4 decimal places')
  }
  if (!Number.isSafeInteger(units)) throw new RangeError('amount is too large')
  return units
}

/** No balance can hold more, so no adjustment or cap typed in kyat needs more, either way. */
export function exceedsAnyBalance(mmk: number): boolean {
  return Math.abs(mmk) > MAX_BALANCE_UNITS / UNITS_PER_MMK
}

export function unitsToMmk(units: number): number {
  return units / UNITS_PER_MMK
}

/**
 * A decimal number, plain or in exponent form ("1.5e-7"), to an integer count of `1/10^digits`,
 * rounded up. Numbers go through their shortest text form, so 0.000123 stays 0.000123.
 */
export function decimalToScaled(value: string | number, digits: number): bigint | null {
  const textual = typeof value === 'number' ? String(value) : value.trim()
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(textual)
  if (!match || (!match[2] && !match[3])) return null
  const [, sign, whole = '', fraction = '', exponentText = '0'] = match
  const exponent = Number(exponentText)
  if (!Number.isFinite(exponent) || Math.abs(exponent) > 400) return null

  // Shift the decimal point by the exponent, then split at `digits` places.
  const allDigits = whole + fraction
  const point = whole.length + exponent + digits
  const kept = point <= 0 ? '' : allDigits.slice(0, point).padEnd(point, '0')
  const dropped = point <= 0 ? allDigits : allDigits.slice(Math.max(0, point))
  let scaled = BigInt(kept || '0')
  if (/[1-9]/.test(dropped)) scaled += 1n
  return sign === '-' ? -scaled : scaled
}

/** USD as a decimal string or number to nano-USD, rounded up; null when not a usable amount. */
export function usdToNano(usd: string | number | null | undefined): bigint | null {
  if (usd === null || usd === undefined) return null
  const nano = decimalToScaled(usd, 9)
  return nano === null || nano < 0n ? null : nano
}

export interface PriceFactors {
  usdToMmkRate: number
  priceMarkup: number
}

/** What the user pays for an upstream cost, in units, rounded up; exact integer arithmetic. */
export function chargeUnitsForNanoUsd(costNanoUsd: bigint, factors: PriceFactors): number {
  if (costNanoUsd <= 0n) return 0
  const numerator = costNanoUsd * scaledFactors(factors) * BigInt(UNITS_PER_MMK)
  const denominator = NANO_PER_USD * SCALE * SCALE
  return Number((numerator + denominator - 1n) / denominator)
}

// Every request prices twice (hold, then charge) with the same factors; parsing the two
// decimals each time showed in profiles, so the last product is kept.
let lastFactors = { rate: NaN, markup: NaN, product: 0n }

/** Rate × markup, each scaled by 10^6, as one exact integer. */
function scaledFactors({ usdToMmkRate, priceMarkup }: PriceFactors): bigint {
  if (usdToMmkRate !== lastFactors.rate || priceMarkup !== lastFactors.markup) {
    const rate = decimalToScaled(usdToMmkRate, 6) ?? 0n
    const markup = decimalToScaled(priceMarkup, 6) ?? 0n
    lastFactors = { rate: usdToMmkRate, markup: priceMarkup, product: rate * markup }
  }
  return lastFactors.product
}

/** MMK for a USD amount, as a float for display only; never stored in the ledger. */
export function displayMmk(usd: number, factors: PriceFactors): number {
  return usd * factors.usdToMmkRate * factors.priceMarkup
}
