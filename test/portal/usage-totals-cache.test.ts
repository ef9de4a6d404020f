import { afterAll, beforeAll, expect, test } from 'bun:test'
import { ManualClock } from '../../src/lib/clock'
import { UsageTotalsCache } from '../../src/portal/queries/usage-totals-cache'
import { dayStart, yangonDay } from '../../src/portal/queries/spend'
import { buildTestApp, type TestApp } from '../support/app'
import { usageRow } from '../support/ledger'

const DAY = 24 * 3600 * 1000
const clock = new ManualClock(Date.UTC(2026, 11, 3, 12))
let env: TestApp
let accountId: string

beforeAll(async () => {
  env = await buildTestApp({ clock })
  accountId = (await env.services.accounts.create({ name: 'Totals' })).id
  await env.services.ledger.credit({
    accountId,
    amountUnits: 10_000_000,
    reason: 'topup',
    reference: 'totals-seed',
  })
})

afterAll(async () => {
  await env.close()
})

async function charge(createdAt: number, model: string, units: number, keyId = 'key_a') {
  const { ledger } = env.services
  const row = usageRow({ accountId, createdAt, model, keyId, promptTokens: 3 })
  ledger.settle(ledger.placeHold(accountId, units).id, units, row)
  await ledger.flush()
}

const today = () => yangonDay(clock.now())

test('totals over closed and open days match the rows, as days close and rows arrive', async () => {
  const cache = new UsageTotalsCache(env.services.db)
  await charge(dayStart(today() - 3) + 1000, 'm/one', 100)
  await charge(dayStart(today() - 1) + 1000, 'm/two', 20, 'key_b')
  await charge(clock.now() - 1000, 'm/one', 3)

  const all = await cache.totals({ accountId }, clock.now())
  const lastTwoDays = await cache.totals(
    { accountId, from: dayStart(today() - 1), to: dayStart(today() + 1) },
    clock.now(),
  )
  const oneModel = await cache.totals({ accountId, model: 'm/one' }, clock.now())
  const oneKey = await cache.totals({ accountId, keyId: 'key_b' }, clock.now())
  await charge(clock.now() - 500, 'm/one', 7)
  clock.advance(DAY)
  await charge(clock.now() - 100, 'm/two', 1000)
  const later = await cache.totals({ accountId }, clock.now())

  expect(
    [all, lastTwoDays, oneModel, oneKey, later].map((t) => [t.requests, t.chargedUnits]),
  ).toEqual([
    [3, 123],
    [2, 23],
    [2, 103],
    [1, 20],
    [5, 1130],
  ])
  expect(all.promptTokens).toBe(9)
})
