import { eq, sql } from 'drizzle-orm'
import type { Database, Orm, Tables } from '../db/database'
import type { WritePlan } from '../db/write-plan'
import { LedgerError } from './errors'
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

/**
 * Moves a stored balance. An entry for an account that does not exist fails its transaction
 * here: on PostgreSQL no foreign key would refuse it (src/db/schema/pg.ts says why).
 */
export async function addToBalance(tx: Orm, t: Tables, accountId: string, delta: number) {
  const updated = await tx
    .update(t.accounts)
    .set({ balanceUnits: sql`${t.accounts.balanceUnits} + ${delta}` })
    .where(eq(t.accounts.id, accountId))
    .returning({ id: t.accounts.id })
  if (updated.length === 0) throw new LedgerError('unknown_account', `no account ${accountId}`)
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

/** The batch as one plan for the database's group writer: one transaction, no Drizzle. */
export function batchPlan(batch: Batch): WritePlan {
  const plan: WritePlan = {
    inserts: [
      { table: 'holds', rows: batch.placed.map(holdRow) },
      { table: 'ledgerEntries', rows: batch.entries },
      { table: 'usageRecords', rows: batch.usage },
    ].filter((insert) => insert.rows.length > 0) as WritePlan['inserts'],
    deletes: batch.removed.length > 0 ? [{ table: 'holds', ids: batch.removed }] : [],
    increments: [],
  }
  for (const [accountId, delta] of batch.deltas) {
    if (delta !== 0) {
      plan.increments.push({ table: 'accounts', column: 'balanceUnits', id: accountId, by: delta })
    }
  }
  return plan
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
