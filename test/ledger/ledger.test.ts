import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { InsufficientFunds, LedgerError } from '../../src/ledger/errors'
import { MAX_BALANCE_UNITS } from '../../src/ledger/money'
import { createServices } from '../../src/services'
import { buildTestApp, testConfig, type TestApp } from '../support/app'
import { audit, usageRow } from '../support/ledger'
import { memoryLogger } from '../../src/ops/logger'
import { eq } from 'drizzle-orm'
import { Database as SqliteClient } from 'bun:sqlite'
import postgres from 'postgres'
import { dialect } from '../support/database'

let env: TestApp

beforeEach(async () => {
  env = await buildTestApp()
})

afterEach(async () => {
  await env.close()
})

async function newAccount(balanceUnits = 0) {
  const account = await env.services.accounts.create({ name: 'Thiha' })
  if (balanceUnits > 0) {
    await env.services.ledger.credit({
      accountId: account.id,
      amountUnits: balanceUnits,
      reason: 'topup',
      reference: `seed:${account.id}`,
    })
  }
  return account.id
}

describe('ledger', () => {
  test('a credit is durable before it is acknowledged and applies once per reference', async () => {
    const { ledger, db } = env.services
    const id = await newAccount()

    const first = await ledger.credit({
      accountId: id,
      amountUnits: 500,
      reason: 'topup',
      reference: 'order-1',
    })
    const again = await ledger.credit({
      accountId: id,
      amountUnits: 500,
      reason: 'topup',
      reference: 'order-1',
    })

    expect(first).toEqual({ applied: true, balanceUnits: 500 })
    expect(again).toEqual({ applied: false, balanceUnits: 500 })
    const [row] = await db.orm.select().from(db.t.accounts).where(eq(db.t.accounts.id, id))
    expect(row?.balanceUnits).toBe(500)
    expect(await audit(env.services)).toEqual([])
  })

  test('concurrent credits with one reference apply once', async () => {
    const { ledger } = env.services
    const id = await newAccount()

    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        ledger.credit({ accountId: id, amountUnits: 100, reason: 'topup', reference: 'same' }),
      ),
    )

    expect(results.filter((r) => r.applied)).toHaveLength(1)
    expect(ledger.fundsOf(id).balanceUnits).toBe(100)
    expect(await audit(env.services)).toEqual([])
  })

  test('holds count against the available amount until settled or released', async () => {
    const { ledger } = env.services
    const id = await newAccount(1000)

    const a = ledger.placeHold(id, 600)
    expect(() => ledger.placeHold(id, 500)).toThrow(InsufficientFunds)
    expect(ledger.fundsOf(id)).toEqual({ balanceUnits: 1000, heldUnits: 600, availableUnits: 400 })

    ledger.settle(a.id, 250, usageRow())
    const b = ledger.placeHold(id, 700)
    ledger.release(b.id)

    expect(ledger.fundsOf(id)).toEqual({ balanceUnits: 750, heldUnits: 0, availableUnits: 750 })
    expect(await audit(env.services)).toEqual([])
  })

  test('settling twice charges once', async () => {
    const { ledger } = env.services
    const id = await newAccount(1000)
    const hold = ledger.placeHold(id, 100)

    const first = ledger.settle(hold.id, 80, usageRow())
    const second = ledger.settle(hold.id, 80, usageRow())

    expect([first, second]).toEqual([80, 0])
    expect(ledger.fundsOf(id).balanceUnits).toBe(920)
  })

  test('the insufficient-funds error says what was needed and what was available', async () => {
    const id = await newAccount(300)

    let error: unknown
    try {
      env.services.ledger.placeHold(id, 301)
    } catch (caught) {
      error = caught
    }

    expect(error).toBeInstanceOf(InsufficientFunds)
    expect({ ...(error as InsufficientFunds) }).toMatchObject({
      neededUnits: 301,
      availableUnits: 300,
    })
  })

  test('bad amounts, overflows and overdrawing debits are refused and change nothing', async () => {
    const { ledger } = env.services
    const id = await newAccount(100)
    const credit = (amountUnits: number, reference: string) =>
      ledger.credit({ accountId: id, amountUnits, reason: 'adjustment', reference })

    await expect(credit(0, 'zero')).rejects.toThrow(LedgerError)
    await expect(credit(1.5, 'fraction')).rejects.toThrow(LedgerError)
    await expect(credit(MAX_BALANCE_UNITS, 'huge')).rejects.toThrow(/largest allowed/)
    await expect(credit(-101, 'overdraw')).rejects.toThrow(/below zero/)
    await expect(
      ledger.credit({ accountId: 'acc_nobody', amountUnits: 1, reason: 'topup', reference: 'x' }),
    ).rejects.toThrow(/no account/)

    expect(ledger.fundsOf(id).balanceUnits).toBe(100)
    expect(await audit(env.services)).toEqual([])
  })

  test('a restart rebuilds every balance and releases holds left open', async () => {
    const { ledger } = env.services
    const a = await newAccount(5000)
    const b = await newAccount(70)
    const hold = ledger.placeHold(a, 1000)
    ledger.settle(ledger.placeHold(a, 300).id, 123, usageRow())
    await ledger.flush()
    expect(hold.id).toBeTruthy()

    const { logger, lines } = memoryLogger()
    const db = await env.database.reopen()
    const restarted = await createServices({ config: testConfig(), db, clock: env.clock, logger })

    expect(restarted.ledger.fundsOf(a)).toEqual({
      balanceUnits: 4877,
      heldUnits: 0,
      availableUnits: 4877,
    })
    expect(restarted.ledger.fundsOf(b).balanceUnits).toBe(70)
    expect(lines.some((line) => line.includes('stale_holds_released'))).toBe(true)
    expect(await audit(restarted)).toEqual([])
  })

  test(
    'a credit the database refuses leaves memory untouched, ' + 'so a retry cannot double it',
    async () => {
      const { ledger } = env.services
      ledger.openAccount('acc_ghost')

      const attempt = ledger.credit({
        accountId: 'acc_ghost',
        amountUnits: 500,
        reason: 'topup',
        reference: 'g1',
      })

      await expect(attempt).rejects.toThrow()
      expect(ledger.fundsOf('acc_ghost').balanceUnits).toBe(0)
    },
  )

  test('an operation the database keeps refusing is set aside and later writes go on', async () => {
    const { ledger, journal, db } = env.services
    const id = await newAccount(1000)
    journal.addEntry({
      id: 'led_poison',
      accountId: 'acc_missing',
      amountUnits: 5,
      balanceAfterUnits: 5,
      reason: 'adjustment',
      reference: 'poison',
      note: null,
      createdAt: Date.now(),
    })
    ledger.settle(ledger.placeHold(id, 100).id, 40, usageRow())

    let flushed = false
    for (let attempt = 0; attempt < 6 && !flushed; attempt++) {
      flushed = await ledger.flush().then(
        () => true,
        () => false,
      )
    }

    const [row] = await db.orm.select().from(db.t.accounts).where(eq(db.t.accounts.id, id))
    expect(flushed).toBe(true)
    expect(row?.balanceUnits).toBe(960)
    expect(env.logs.some((line) => line.includes('"ledger_write_set_aside"'))).toBe(true)
  })

  test('the audit notices a balance that does not match its entries', async () => {
    const { db } = env.services
    const id = await newAccount(100)

    await db.write((tx) =>
      tx.update(db.t.accounts).set({ balanceUnits: 99 }).where(eq(db.t.accounts.id, id)),
    )

    expect(await audit(env.services)).toEqual([
      `${id}: stored balance 99 != entries 100`,
      `${id}: memory balance 100 != stored 99`,
    ])
  })

  test('the audit notices entries whose account does not exist', async () => {
    await newAccount(100)
    await insertOrphanEntry(env.services.config.DATABASE_URL, 'acc_gone')

    expect(await audit(env.services)).toEqual([
      'acc_gone: entries for an account that does not exist',
    ])
  })
})

/**
 * An entry for a missing account, written the way no code of ours can: past the balance
 * update the ledger writes with it, and on SQLite past the foreign key (a new connection
 * does not enforce it). PostgreSQL has no such key on this table (src/db/schema/pg.ts).
 */
async function insertOrphanEntry(url: string, accountId: string) {
  const row = {
    id: 'led_orphan',
    account_id: accountId,
    amount_units: 5,
    balance_after_units: 5,
    reason: 'adjustment',
    reference: 'orphan',
    note: null,
    created_at: Date.now(),
  }
  if (dialect === 'sqlite') {
    const client = new SqliteClient(url)
    const names = Object.keys(row)
    client
      .prepare(`insert into ledger_entries (${names}) values (${names.map(() => '?')})`)
      .run(...Object.values(row))
    client.close()
    return
  }
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  await sql`insert into ledger_entries ${sql(row)}`
  await sql.end()
}
