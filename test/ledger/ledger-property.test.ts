import { afterAll, beforeAll, expect, test } from 'bun:test'
import { InsufficientFunds } from '../../src/ledger/errors'
import type { Hold } from '../../src/ledger/types'
import { buildTestApp, type TestApp } from '../support/app'
import { audit, usageRow } from '../support/ledger'

let env: TestApp

beforeAll(async () => {
  env = await buildTestApp()
})

afterAll(async () => {
  await env.close()
})

/** A small deterministic generator, so a failing sequence can be replayed from its seed. */
function random(seed: number) {
  let state = seed >>> 0
  return (below: number) => {
    state = (Math.imul(state ^ (state >>> 15), 2246822519) + 0x9e3779b9) >>> 0
    return state % below
  }
}

test('thousands of random credit/hold/settle/release sequences keep the ledger sound', async () => {
  const { ledger, accounts } = env.services
  const ids = await Promise.all([1, 2, 3, 4].map((n) => accounts.create({ name: `p${n}` })))
  const accountIds = ids.map((account) => account.id)
  const next = random(20261203)
  const open: Hold[] = []
  const expected = new Map(accountIds.map((id) => [id, 0]))
  let operations = 0

  for (let round = 0; round < 40; round++) {
    for (let step = 0; step < 100; step++, operations++) {
      const id = accountIds[next(accountIds.length)]!
      const action = next(10)
      if (action < 2) {
        const amount = 1 + next(5000)
        await ledger.credit({
          accountId: id,
          amountUnits: amount,
          reason: 'topup',
          reference: `p-${round}-${step}`,
        })
        expected.set(id, expected.get(id)! + amount)
      } else if (action < 6) {
        try {
          open.push(ledger.placeHold(id, next(3000)))
        } catch (error) {
          expect(error).toBeInstanceOf(InsufficientFunds)
        }
      } else if (open.length > 0) {
        const hold = open.splice(next(open.length), 1)[0]!
        if (action < 9) {
          const charge = next(hold.amountUnits + 1)
          ledger.settle(hold.id, charge, usageRow())
          expected.set(hold.accountId, expected.get(hold.accountId)! - charge)
        } else {
          ledger.release(hold.id)
        }
      }
      const funds = ledger.fundsOf(id)
      expect(funds.availableUnits).toBeGreaterThanOrEqual(0)
    }
    expect(await audit(env.services)).toEqual([])
  }

  for (const id of accountIds) expect(ledger.fundsOf(id).balanceUnits).toBe(expected.get(id)!)
  expect(operations).toBe(4000)
})
