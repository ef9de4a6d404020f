import { describe, expect, test } from 'bun:test'
import { usdToMmk, pricingInMmk } from '../../src/catalog/mmk'
import { isFree, parsePricing, parseUsdPrice } from '../../src/catalog/prices'

describe('upstream price strings', () => {
  test.each([
    ['0', '0'],
    ['0.000003', '0.000003'],
    [' 0.0000006 ', '0.0000006'],
    ['1.5e-7', '1.5e-7'],
    ['.5', '.5'],
    ['12', '12'],
    [0.00000015, '1.5e-7'],
    [0, '0'],
  ])('%p is the price %p', (raw, expected) => {
    expect(parseUsdPrice(raw)).toBe(expected)
  })

  test.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['blank', '   '],
    ['words', 'free'],
    ['NaN text', 'NaN'],
    ['Infinity text', 'Infinity'],
    ['overflowing exponent', '1e999'],
    ['negative router price', '-1'],
    ['negative zero', '-0'],
    ['negative decimal', '-0.000001'],
    ['hex', '0x10'],
    ['two points', '1.2.3'],
    ['currency sign', '$0.01'],
    ['trailing junk', '0.01usd'],
    ['NaN number', Number.NaN],
    ['infinite number', Number.POSITIVE_INFINITY],
    ['negative number', -1],
    ['boolean', true],
    ['object', { usd: '1' }],
  ])('%s is unknown, never zero', (_, raw) => {
    expect(parseUsdPrice(raw)).toBeNull()
  })

  test('a pricing object keeps the four priced units and drops the rest', () => {
    const pricing = parsePricing({
      prompt: '0.000003',
      completion: '-1',
      image: '0.0048',
      web_search: '0.01',
      discount: 0.5,
    })

    expect(pricing).toEqual({
      prompt: '0.000003',
      completion: null,
      request: null,
      image: '0.0048',
    })
  })

  test('a missing pricing object leaves every price unknown', () => {
    expect(parsePricing(undefined)).toEqual({
      prompt: null,
      completion: null,
      request: null,
      image: null,
    })
  })
})

describe('free models', () => {
  const zero = { prompt: '0', completion: '0', request: null, image: null }

  test.each([
    ['both token prices are zero', true, zero],
    ['zero in exponent form', true, { ...zero, prompt: '0e0', completion: '0.000' }],
    ['a zero request fee', true, { ...zero, request: '0' }],
    ['an unknown prompt price', false, { ...zero, prompt: null }],
    ['an unknown completion price', false, { ...zero, completion: null }],
    ['a priced completion', false, { ...zero, completion: '0.000001' }],
    ['a request fee', false, { ...zero, request: '0.01' }],
  ])('%s: free is %p', (_, free, pricing) => {
    expect(isFree(pricing)).toBe(free)
  })

  test('a "-1" router is not free', () => {
    expect(isFree(parsePricing({ prompt: '-1', completion: '-1' }))).toBe(false)
  })
})

describe('MMK arithmetic', () => {
  const factors = { usdToMmkRate: 4500, priceMarkup: 1.2 }

  test('USD per token × rate × markup, per million tokens', () => {
    const claude = { prompt: '0.000003', completion: '0.000015', request: '0', image: '0.0048' }

    expect(pricingInMmk(claude, factors)).toEqual({
      promptPer1M: 16200,
      completionPer1M: 81000,
      request: 0,
      image: 25.92,
    })
  })

  test('a half ten-thousandth rounds up where floating point would round it down', () => {
    // 0.0000001 × 1e6 × 4321.55 × 1.15 is 496.97825 exactly; in floats it is just below.
    const factors = { usdToMmkRate: 4321.55, priceMarkup: 1.15 }

    expect(Math.round(0.0000001 * 1e6 * 4321.55 * 1.15 * 1e4) / 1e4).toBe(496.9782)
    expect(usdToMmk('0.0000001', factors, 1_000_000n)).toBe(496.9783)
  })

  test('rounds half up to a ten-thousandth of a kyat', () => {
    const plain = { usdToMmkRate: 1, priceMarkup: 1 }

    expect(usdToMmk('0.00005', plain)).toBe(0.0001)
    expect(usdToMmk('0.0000499', plain)).toBe(0)
    expect(usdToMmk('0.00015', plain)).toBe(0.0002)
  })

  test('unknown stays unknown and zero stays zero', () => {
    expect(usdToMmk(null, factors, 1_000_000n)).toBeNull()
    expect(usdToMmk('0', factors, 1_000_000n)).toBe(0)
  })

  test('exponent prices convert like their decimal form', () => {
    expect(usdToMmk('1.5e-7', factors, 1_000_000n)).toBe(810)
  })
})
