import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { eq, sql } from 'drizzle-orm'
import { DatabaseThread } from '../../src/db/database-thread'
import type { WritePlan } from '../../src/db/write-plan'
import { testDatabaseWithAccount, type TestDatabase } from '../support/database'

let env: TestDatabase

beforeEach(async () => {
  env = await testDatabaseWithAccount('acc_plan', 1000)
})

afterEach(async () => {
  await env.drop()
})

const hold = (id: string) => ({ id, accountId: 'acc_plan', amountUnits: 5, createdAt: 1 })

/** A plan that only inserts holds. */
const insertHolds = (...ids: string[]): WritePlan => ({
  inserts: [{ table: 'holds', rows: ids.map(hold) }],
  deletes: [],
  increments: [],
})

describe('write plans (the group commit’s writes)', () => {
  test('inserts, deletes and increments land together, seen by every connection', async () => {
    const { db } = env
    await db.applyPlan(insertHolds('hold_a', 'hold_b'))

    await db.applyPlan({
      inserts: [{ table: 'holds', rows: [hold('hold_c')] }],
      deletes: [{ table: 'holds', ids: ['hold_a'] }],
      increments: [{ table: 'accounts', column: 'balanceUnits', id: 'acc_plan', by: -40 }],
    })

    const holds = await db.orm.select().from(db.t.holds)
    expect(holds.map((row) => row.id).sort()).toEqual(['hold_b', 'hold_c'])
    const reopened = await env.reopen()
    const [account] = await reopened.orm
      .select()
      .from(reopened.t.accounts)
      .where(eq(reopened.t.accounts.id, 'acc_plan'))
    expect(account?.balanceUnits).toBe(960)
  })

  test('an increment of a row that does not exist fails the whole plan', async () => {
    const { db } = env
    const plan: WritePlan = {
      inserts: [{ table: 'holds', rows: [hold('hold_kept_out')] }],
      deletes: [],
      increments: [{ table: 'accounts', column: 'balanceUnits', id: 'acc_none', by: 7 }],
    }

    await expect(db.applyPlan(plan)).rejects.toThrow('no row acc_none in accounts')

    expect(await db.orm.select().from(db.t.holds)).toEqual([])
  })

  test('a plan the database refuses changes nothing', async () => {
    const { db } = env
    const plan: WritePlan = {
      inserts: [
        { table: 'holds', rows: [hold('hold_ok'), { ...hold('hold_bad'), accountId: 'x' }] },
      ],
      deletes: [],
      increments: [{ table: 'accounts', column: 'balanceUnits', id: 'acc_plan', by: 7 }],
    }

    await expect(db.applyPlan(plan)).rejects.toThrow()

    expect(await db.orm.select().from(db.t.holds)).toEqual([])
    const [account] = await db.orm.select().from(db.t.accounts)
    expect(account?.balanceUnits).toBe(1000)
  })

  test('plans sent at once are all applied', async () => {
    const { db } = env
    const plans = Array.from({ length: 50 }, (_, i) => ({
      inserts: [{ table: 'holds' as const, rows: [hold(`hold_${i}`)] }],
      deletes: [],
      increments: [{ table: 'accounts' as const, column: 'balanceUnits', id: 'acc_plan', by: 1 }],
    }))

    await Promise.all(plans.map((plan) => db.applyPlan(plan)))

    expect(await db.orm.select().from(db.t.holds)).toHaveLength(50)
    const [account] = await db.orm.select().from(db.t.accounts)
    expect(account?.balanceUnits).toBe(1050)
  })
})

describe('the writer thread', () => {
  test('a thread that dies fails what it held and is replaced; later plans land', async () => {
    const writer = new DatabaseThread(env.url, env.db.dialect === 'pg')
    await writer.ready()

    // Reaching into the handle is the only way to kill its thread from outside.
    ;(writer as unknown as { worker: Worker }).worker.terminate()
    const first = await writer.apply(insertHolds('hold_first')).then(
      () => 'written',
      () => 'failed',
    )
    await writer.apply(insertHolds('hold_second'))
    await writer.close()

    const ids = (await env.db.orm.select().from(env.db.t.holds)).map((row) => row.id)
    expect(ids.sort()).toEqual(
      first === 'written' ? ['hold_first', 'hold_second'] : ['hold_second'],
    )
  })
})

describe('reads aside', () => {
  test('a built query runs away from the request thread and answers rows as arrays', async () => {
    const { db } = env
    await db.applyPlan(insertHolds('hold_x', 'hold_y'))
    await db.write((tx) => tx.insert(db.t.holds).values(hold('hold_z')))
    const t = db.t.holds

    const rows = await db.readAside(
      db.orm
        .select({ n: sql<number>`count(*)`, total: sql<number>`sum(${t.amountUnits})` })
        .from(t)
        .where(eq(t.accountId, 'acc_plan')),
    )

    expect(rows.map((row) => row.map(Number))).toEqual([[3, 15]])
  })
})
