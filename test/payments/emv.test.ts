import { describe, expect, test } from 'bun:test'
import { crc16, EmvError, parseEmv, templateOf } from '../../src/payments/emv'
import { buildMmqr, checkMmqr } from '../../src/payments/mmqr'

// Published payloads whose CRC was recomputed and matched (PROTOCOLS.md §2.8).
const vectors = {
  meralco:
    '00020101021226150011com.paymaya5204490053036085405390.85802PH5907Meralco6005Pasig625301100' +
    '46649980150350020com.paymaya.billspay0107meralco80870015com.bayadcenter0105000010205MECOA0' +
    '316046649980181013604260466499801812101361210260363041DB5',
  pldt:
    '00020101021226150011com.paymaya52044111530360854061000.05802PH5920CIS BAYAD CENTER INC600' +
    '5Pasig62500110022394211350320020com.paymaya.billspay0104pldt80570015com.bayadcenter010500' +
    '2140205PLDT6041012345678900702PD6304955F',
  instapay:
    '00020101021227770014com.bnapi.ipay0104001402089996030003158999000000300160416000000' +
    '16433671005204411153036085802PH5911PAYMAYA INC6005Pasig63049B00',
  mastercard:
    '000201010211057704736a2f41a3-c54c-fce8-32d2-0324e1c32e22*3440e5bf-81ca-4c5f-a1b2-cf989f0' +
    '9a03952045024530384054031005802US5913Test Merchant6008New York62080304123463046F6D',
}

const sandboxQr =
  '00020101021226330015mm.sandbox.mmqr0110SIM0000001520457345303104540450005802MM5922MM LLM' +
  ' GATEWAY SANDBOX6006Yangon62270515tp_7KQ2M9X4RB1C0704GW016304342E'

describe('CRC-16/CCITT-FALSE', () => {
  test('gives the check value 29B1 for "123456789"', () => {
    expect(crc16('123456789')).toBe('29B1')
  })

  test.each(Object.entries(vectors))('matches the published %s payload', (_name, payload) => {
    expect(crc16(payload.slice(0, -4))).toBe(payload.slice(-4))
  })
})

describe('EMV payload validation', () => {
  test.each(Object.entries(vectors))('accepts the published %s payload', (_name, payload) => {
    expect(parseEmv(payload).get('00')).toBe('01')
  })

  test('accepts a lowercase CRC', () => {
    expect(parseEmv(sandboxQr.slice(0, -4) + '342e').get('63')).toBe('342e')
  })

  test.each([
    ['a changed digit', sandboxQr.replace('54045000', '54045001')],
    ['a wrong CRC', sandboxQr.slice(0, -4) + '0000'],
    ['no format indicator first', sandboxQr.slice(6)],
    ['a cut-short object', sandboxQr.slice(0, 40)],
    ['a duplicate id', '000201' + '5802MM' + '5802MM' + '6304'],
  ])('rejects %s', (_what, payload) => {
    const withCrc = payload.endsWith('6304') ? payload + crc16(payload) : payload

    expect(() => parseEmv(withCrc)).toThrow(EmvError)
  })
})

describe('MMQR look-alike', () => {
  const fields = {
    merchantGuid: 'mm.sandbox.mmqr',
    merchantId: 'SIM0000001',
    merchantName: 'MM LLM GATEWAY SANDBOX',
    merchantCity: 'Yangon',
    amountMmk: 5000,
    reference: 'tp_7KQ2M9X4RB1C',
    terminal: 'GW01',
  }

  test("builds the specification's sandbox payload byte for byte", () => {
    expect(buildMmqr(fields)).toBe(sandboxQr)
  })

  test('decodes back to its parts', () => {
    const root = parseEmv(sandboxQr)

    expect(Object.fromEntries(root)).toEqual({
      '00': '01',
      '01': '12',
      '26': '0015mm.sandbox.mmqr0110SIM0000001',
      '52': '5734',
      '53': '104',
      '54': '5000',
      '58': 'MM',
      '59': 'MM LLM GATEWAY SANDBOX',
      '60': 'Yangon',
      '62': '0515tp_7KQ2M9X4RB1C0704GW01',
      '63': '342E',
    })
    expect(Object.fromEntries(templateOf(root, '62'))).toEqual({
      '05': 'tp_7KQ2M9X4RB1C',
      '07': 'GW01',
    })
  })

  test('a check against the order reports an amount that differs', () => {
    expect(checkMmqr(sandboxQr, 5000)).toEqual({
      reference: 'tp_7KQ2M9X4RB1C',
      amountMmk: 5000,
      problems: [],
    })
    expect(checkMmqr(sandboxQr, 7000).problems).toEqual([
      "amount 5000 differs from the order's 7000",
    ])
  })
})
