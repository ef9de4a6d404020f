import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { Journal } from '../../src/ledger/journal'
import { memoryLogger } from '../../src/ops/logger'
import { testDatabaseWithAccount, type TestDatabase } from '../support/database'

let env: TestDatabase

beforeEach(async () => {
  env = await testDatabaseWithAccount('acc_j')
})

afterEach(async () => {
  await env.drop()
})

const storedHolds = async () =>
  (await env.db.orm.select().from(env.db.t.holds)).map((row) => row.id)

async function until(condition: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 5000
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(2)
  }
}

describe('the journal writes holds only once they have been open a while', () => {
  test('a hold that ends young is never written, while the commits around it go on', async () => {
    const journal = new Journal(env.db, memoryLogger().logger, 1, 60_000)

    journal.placeHold('hold_young', 'acc_j', 50, Date.now())
    await Bun.sleep(30)
    journal.removeHold('hold_young')
    journal.addEntry({
      id: 'led_j',
      accountId: 'acc_j',
      amountUnits: 5,
      balanceAfterUnits: 5,
      reason: 'adjustment',
      reference: 'journal-test',
      note: null,
      createdAt: Date.now(),
    })
    await journal.flush()

    expect(await storedHolds()).toEqual([])
    const entries = await env.db.orm.select().from(env.db.t.ledgerEntries)
    expect(entries.map((entry) => entry.id)).toEqual(['led_j'])
  })

  test('a hold still open after the delay is written by a timed commit, then removed', async () => {
    const journal = new Journal(env.db, memoryLogger().logger, 1, 40)

    journal.placeHold('hold_long', 'acc_j', 50, Date.now())
    await Bun.sleep(15)
    expect(await storedHolds()).toEqual([])
    await until(async () => (await storedHolds()).length === 1, 'the hold to be written')
    journal.removeHold('hold_long')
    await until(async () => (await storedHolds()).length === 0, 'the hold to be removed')
  })

  test('an explicit flush writes every open hold, however young', async () => {
    const journal = new Journal(env.db, memoryLogger().logger, 1, 60_000)

    journal.placeHold('hold_now', 'acc_j', 50, Date.now())
    await journal.flush()

    expect(await storedHolds()).toEqual(['hold_now'])
  })
})
