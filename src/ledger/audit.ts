import { sql } from 'drizzle-orm'
import type { Database } from '../db/database'
import type { Ledger } from './ledger'

export interface AuditOptions {
  /** A hold older than this has outlived any request that could own it. */
  maxHoldAgeMs: number
  now: number
}

/**
 * Proves the money invariants and returns every breach found (an empty list means sound):
 * each stored balance equals the sum of its entries, every entry belongs to an account, memory
 * agrees with the database, holds add up, and no hold has outlived its request.
 */
export async function auditLedger(db: Database, ledger: Ledger, options: AuditOptions) {
  await ledger.flush()
  const problems: string[] = []
  const { accounts, ledgerEntries, holds } = db.t

  const stored = await db.orm
    .select({ id: accounts.id, balance: accounts.balanceUnits })
    .from(accounts)
  const sums = await db.orm
    .select({ id: ledgerEntries.accountId, total: sql<string>`sum(${ledgerEntries.amountUnits})` })
    .from(ledgerEntries)
    .groupBy(ledgerEntries.accountId)
  const sumById = new Map(sums.map((row) => [row.id, Number(row.total)]))
  const memory = ledger.memorySnapshot()

  const storedIds = new Set(stored.map((account) => account.id))
  for (const id of sumById.keys()) {
    if (!storedIds.has(id)) problems.push(`${id}: entries for an account that does not exist`)
  }
  for (const { id, balance } of stored) {
    const total = sumById.get(id) ?? 0
    if (total !== balance) problems.push(`${id}: stored balance ${balance} != entries ${total}`)
    const inMemory = memory.get(id)
    if (!inMemory) problems.push(`${id}: missing from memory`)
    else if (inMemory.balance !== balance) {
      problems.push(`${id}: memory balance ${inMemory.balance} != stored ${balance}`)
    }
  }

  const openHolds = ledger.openHolds()
  const heldById = new Map<string, number>()
  for (const hold of openHolds) {
    heldById.set(hold.accountId, (heldById.get(hold.accountId) ?? 0) + hold.amountUnits)
    if (options.now - hold.createdAt > options.maxHoldAgeMs) {
      problems.push(`hold ${hold.id} has been open for ${options.now - hold.createdAt} ms`)
    }
  }
  for (const [id, funds] of memory) {
    const expected = heldById.get(id) ?? 0
    if (funds.held !== expected)
      problems.push(`${id}: held ${funds.held} != open holds ${expected}`)
  }

  const storedHolds = await db.orm.select({ id: holds.id }).from(holds)
  const liveIds = new Set(openHolds.map((hold) => hold.id))
  for (const { id } of storedHolds) {
    if (!liveIds.has(id)) problems.push(`hold ${id} is stored but not open`)
  }
  if (storedHolds.length !== liveIds.size) {
    problems.push(`${storedHolds.length} holds stored, ${liveIds.size} open`)
  }
  return problems
}
