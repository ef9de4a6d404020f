import { describe, expect, test } from 'bun:test'
import {
  chargeUnitsForNanoUsd,
  decimalToScaled,
  mmkToUnits,
  unitsToMmk,
  usdToNano,
} from '../../src/ledger/money'

describe('ledger money', () => {
  test('kyat convert to units of 1/10,000 MMK and back', () => {
    expect(mmkToUnits(5000.5)).toBe(50_005_000)
    expect(unitsToMmk(50_005_000)).toBe(5000.5)
    expect(() => mmkToUnits(1.00001)).toThrow(/4 decimal places/)
    expect(() => mmkToUnits(Number.NaN)).toThrow(/finite/)
    expect(() => mmkToUnits(1e300)).toThrow(/too large/)
  })

  test('USD text and numbers become exact nano-USD, rounded up', () => {
    expect(usdToNano('0.000123')).toBe(123_000n)
    expect(usdToNano(0.000123)).toBe(123_000n)
    expect(usdToNano(1.5e-7)).toBe(150n)
    expect(usdToNano('1e-12')).toBe(1n)
    expect(usdToNano('-1')).toBeNull()
    expect(usdToNano('abc')).toBeNull()
    expect(usdToNano('')).toBeNull()
    expect(decimalToScaled('Infinity', 2)).toBeNull()
  })

  test('a charge is cost × rate × markup, rounded up to the unit, in integers', () => {
    const factors = { usdToMmkRate: 4500, priceMarkup: 1.2 }

    expect(chargeUnitsForNanoUsd(123_000n, factors)).toBe(6642)
    expect(chargeUnitsForNanoUsd(1n, factors)).toBe(1)
    expect(chargeUnitsForNanoUsd(0n, factors)).toBe(0)
    expect(chargeUnitsForNanoUsd(1_000_000_000n, { usdToMmkRate: 4321.5, priceMarkup: 1.15 })).toBe(
      49_697_250,
    )
  })
})
