import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { asc } from 'drizzle-orm'
import { ManualClock } from '../../src/lib/clock'
import { DAY_MS, retentionCutoff, rollUpUsage, startRetention } from '../../src/ops/retention'
import { stopServices } from '../../src/services'
import { buildTestApp, type TestApp } from '../support/app'
import { usageRow } from '../support/ledger'
import { until } from './wait'

const NOW = Date.UTC(2026, 11, 3, 9, 30)
const at = (day: number, hour: number) => Date.UTC(2026, 8, day, hour)

let test_: TestApp
let aye: string
let bo: string

beforeEach(async () => {
  test_ = await buildTestApp({ clock: new ManualClock(NOW) })
  aye = (await test_.services.accounts.create({ name: 'Aye' })).id
  bo = (await test_.services.accounts.create({ name: 'Bo' })).id
  const { db } = test_.services
  const rows = [
    usageRow({ accountId: aye, model: 'a/m1', createdAt: at(1, 1), chargedUnits: 100 }),
    // 23:00 UTC is 05:30 the next morning in Yangon.
    usageRow({ accountId: aye, model: 'a/m1', createdAt: at(1, 23), chargedUnits: 250 }),
    usageRow({ accountId: aye, model: 'b/m2', createdAt: at(1, 5), chargedUnits: 7 }),
    usageRow({ accountId: aye, model: 'a/m1', createdAt: at(2, 0), chargedUnits: 1 }),
    usageRow({ accountId: bo, model: 'a/m1', createdAt: at(1, 12), chargedUnits: 40 }),
    usageRow({ accountId: bo, model: 'a/m1', createdAt: NOW - 3 * DAY_MS, chargedUnits: 9 }),
    usageRow({ accountId: aye, model: 'a/m1', createdAt: NOW - 60_000, chargedUnits: 5 }),
  ]
  await db.write((tx) => tx.insert(db.t.usageRecords).values(rows))
  // A day already partly rolled up, as a run cut short would leave it.
  await db.write((tx) =>
    tx.insert(db.t.usageDaily).values({
      accountId: aye,
      day: '2026-09-01',
      model: 'a/m1',
      requests: 3,
      promptTokens: 30,
      completionTokens: 60,
      chargedUnits: 1000,
    }),
  )
})

afterEach(async () => {
  await test_.close()
})

async function tables() {
  const { db } = test_.services
  const daily = await db.orm
    .select()
    .from(db.t.usageDaily)
    .orderBy(asc(db.t.usageDaily.accountId), asc(db.t.usageDaily.day), asc(db.t.usageDaily.model))
  const kept = await db.orm
    .select({ createdAt: db.t.usageRecords.createdAt })
    .from(db.t.usageRecords)
    .orderBy(asc(db.t.usageRecords.createdAt))
  return { daily, kept: kept.map((row) => row.createdAt) }
}

const day = (
  accountId: string,
  date: string,
  model: string,
  requests: number,
  charged: number,
) => ({
  accountId,
  day: date,
  model,
  requests,
  promptTokens: 10 * requests,
  completionTokens: 20 * requests,
  chargedUnits: charged,
})

describe('usage retention', () => {
  test('the cutoff is the start of the Myanmar day that many days ago', () => {
    expect(new Date(retentionCutoff(NOW, 30)).toISOString()).toBe('2026-11-02T17:30:00.000Z')
  })

  test('rolls old rows into Myanmar-day totals in batches and deletes them', async () => {
    const rolled = await rollUpUsage(test_.services.db, retentionCutoff(NOW, 30), 2)

    const after = await tables()
    expect(rolled).toBe(5)
    const expected = [
      day(aye, '2026-09-01', 'a/m1', 4, 1100),
      day(aye, '2026-09-01', 'b/m2', 1, 7),
      day(aye, '2026-09-02', 'a/m1', 2, 251),
      day(bo, '2026-09-01', 'a/m1', 1, 40),
    ].sort((x, y) => (x.accountId + x.day + x.model < y.accountId + y.day + y.model ? -1 : 1))
    expect(after).toEqual({ daily: expected, kept: [NOW - 3 * DAY_MS, NOW - 60_000] })
  })

  test('a second run finds nothing more to do', async () => {
    await rollUpUsage(test_.services.db, retentionCutoff(NOW, 30))
    const before = await tables()

    const rolled = await rollUpUsage(test_.services.db, retentionCutoff(NOW, 30))

    expect(rolled).toBe(0)
    expect(await tables()).toEqual(before)
  })

  test(
    'runs as a background job with ' + 'USAGE_RETENTION_DAYS and stops with the services',
    async () => {
      startRetention(test_.services, 0)

      await until(() => test_.logs.some((line) => line.includes('usage_rolled_up')), 'a roll-up')
      await stopServices(test_.services)

      const logged = test_.logs
        .map((line) => JSON.parse(line))
        .find((line) => line.event === 'usage_rolled_up')
      expect(logged.rows).toBe(5)
      expect((await tables()).kept).toEqual([NOW - 3 * DAY_MS, NOW - 60_000])
    },
  )
})
