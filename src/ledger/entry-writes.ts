import { eq, inArray, sql } from 'drizzle-orm'
import type { Database, Orm, Tables } from '../db/database'
import type { LedgerEntry, UsageRow } from './types'

/**
 * Writes one ledger entry and its balance change in one transaction, unless an entry with the
 * same reference exists. Returns whether it was written; the unique reference is what keeps a
 * retried credit from applying twice, even across processes.
 */
export async function writeEntryNow(db: Database, entry: LedgerEntry): Promise<boolean> {
  return db.write(async (tx) => {
    const inserted = await tx
      .insert(db.t.ledgerEntries)
      .values(entry)
      .onConflictDoNothing()
      .returning({ id: db.t.ledgerEntries.id })
    if (inserted.length === 0) return false
    await addToBalance(tx, db.t, entry.accountId, entry.amountUnits)
    return true
  })
}

export async function addToBalance(tx: Orm, t: Tables, accountId: string, delta: number) {
  await tx
    .update(t.accounts)
    .set({ balanceUnits: sql`${t.accounts.balanceUnits} + ${delta}` })
    .where(eq(t.accounts.id, accountId))
}

export interface PlacedHold {
  id: string
  accountId: string
  amountUnits: number
  at: number
}

/** A group commit's contents: everything queued since the last flush. */
export interface Batch {
  entries: LedgerEntry[]
  usage: UsageRow[]
  placed: PlacedHold[]
  removed: string[]
  deltas: [string, number][]
}

const CHUNK = 500

export async function writeBatch(db: Database, tx: Orm, batch: Batch) {
  const { t } = db
  await db.insertMany(tx, t.holds, batch.placed.map(holdRow))
  for (let i = 0; i < batch.removed.length; i += CHUNK) {
    await tx.delete(t.holds).where(inArray(t.holds.id, batch.removed.slice(i, i + CHUNK)))
  }
  await db.insertMany(tx, t.ledgerEntries, batch.entries)
  await db.insertMany(tx, t.usageRecords, batch.usage)
  for (const [accountId, delta] of batch.deltas) {
    if (delta !== 0) await addToBalance(tx, t, accountId, delta)
  }
}

/** The batch as single operations, each writable in a transaction of its own. */
export function batchOperations(db: Database, batch: Batch) {
  const { t } = db
  return [
    ...batch.placed.map((hold) => ({
      what: `hold ${hold.id}`,
      write: (tx: Orm) => tx.insert(t.holds).values(holdRow(hold)),
    })),
    ...batch.removed.map((id) => ({
      what: `hold ${id} removal`,
      write: (tx: Orm) => tx.delete(t.holds).where(eq(t.holds.id, id)),
    })),
    ...batch.entries.map((entry) => ({
      what: `entry ${entry.reference}`,
      write: async (tx: Orm) => {
        await tx.insert(t.ledgerEntries).values(entry)
        await addToBalance(tx, t, entry.accountId, entry.amountUnits)
      },
    })),
    ...batch.usage.map((row) => ({
      what: `usage ${row.id}`,
      write: (tx: Orm) => tx.insert(t.usageRecords).values(row),
    })),
  ]
}

function holdRow({ id, accountId, amountUnits, at }: PlacedHold) {
  return { id, accountId, amountUnits, createdAt: at }
}
