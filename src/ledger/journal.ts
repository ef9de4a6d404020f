import { eq, inArray, sql } from 'drizzle-orm'
import type { Database, Orm, Tables } from '../db/database'
import type { Logger } from '../ops/logger'
import type { LedgerEntry, UsageRow } from './types'

/**
 * Group commit. Operations are applied to memory at once and queued here; a flush writes
 * everything queued in one transaction. A hold placed and removed inside one window is never
 * written at all. Balance updates are increments, so their order across flushes cannot matter.
 */
export class Journal {
  private entries: LedgerEntry[] = []
  private usage: UsageRow[] = []
  private placedHolds = new Map<string, { accountId: string; amountUnits: number; at: number }>()
  private removedHolds = new Set<string>()
  private deltas = new Map<string, number>()
  /** References of entries not yet durable, so a retried credit cannot apply twice. */
  private unwrittenReferences = new Set<string>()
  private timer: ReturnType<typeof setTimeout> | null = null
  private flushing: Promise<void> | null = null
  private failures = 0

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly windowMs: number,
  ) {}

  get pending(): number {
    return this.entries.length + this.usage.length + this.placedHolds.size + this.removedHolds.size
  }

  get healthy(): boolean {
    return this.failures === 0
  }

  hasUnwritten(reference: string) {
    return this.unwrittenReferences.has(reference)
  }

  addEntry(entry: LedgerEntry) {
    this.entries.push(entry)
    this.unwrittenReferences.add(entry.reference)
    this.deltas.set(entry.accountId, (this.deltas.get(entry.accountId) ?? 0) + entry.amountUnits)
    this.schedule()
  }

  addUsage(row: UsageRow) {
    this.usage.push(row)
    this.schedule()
  }

  placeHold(id: string, accountId: string, amountUnits: number, at: number) {
    this.placedHolds.set(id, { accountId, amountUnits, at })
    this.schedule()
  }

  removeHold(id: string) {
    if (!this.placedHolds.delete(id)) this.removedHolds.add(id)
    this.schedule()
  }

  /** Writes everything queued so far; resolves once it is durable. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing
    if (this.pending === 0) return
    this.flushing = this.writeBatch().finally(() => (this.flushing = null))
    await this.flushing
  }

  private schedule() {
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.flush().catch(() => {})
    }, this.windowMs)
  }

  private async writeBatch() {
    const batch = this.takeBatch()
    try {
      await this.db.write((tx) => writeBatch(tx, this.db.t, batch))
      this.failures = 0
      for (const entry of batch.entries) this.unwrittenReferences.delete(entry.reference)
    } catch (error) {
      this.failures++
      this.putBack(batch)
      this.logger.error('ledger_flush_failed', { error, failures: this.failures })
      setTimeout(() => this.schedule(), Math.min(5000, 50 * 2 ** this.failures))
      throw error
    }
  }

  private takeBatch(): Batch {
    const batch: Batch = {
      entries: this.entries,
      usage: this.usage,
      placed: [...this.placedHolds].map(([id, hold]) => ({ id, ...hold })),
      removed: [...this.removedHolds],
      deltas: [...this.deltas],
    }
    this.entries = []
    this.usage = []
    this.placedHolds = new Map()
    this.removedHolds = new Set()
    this.deltas = new Map()
    return batch
  }

  /** A failed batch goes back in front of whatever was queued while it was being written. */
  private putBack(batch: Batch) {
    this.entries = [...batch.entries, ...this.entries]
    this.usage = [...batch.usage, ...this.usage]
    for (const [accountId, delta] of batch.deltas) {
      this.deltas.set(accountId, (this.deltas.get(accountId) ?? 0) + delta)
    }
    for (const hold of batch.placed) {
      if (this.removedHolds.delete(hold.id)) continue
      this.placedHolds.set(hold.id, hold)
    }
    for (const id of batch.removed) this.removedHolds.add(id)
  }
}

interface Batch {
  entries: LedgerEntry[]
  usage: UsageRow[]
  placed: { id: string; accountId: string; amountUnits: number; at: number }[]
  removed: string[]
  deltas: [string, number][]
}

const CHUNK = 500

async function writeBatch(tx: Orm, t: Tables, batch: Batch) {
  for (let i = 0; i < batch.placed.length; i += CHUNK) {
    const rows = batch.placed.slice(i, i + CHUNK)
    await tx.insert(t.holds).values(
      rows.map(({ id, accountId, amountUnits, at }) => ({
        id,
        accountId,
        amountUnits,
        createdAt: at,
      })),
    )
  }
  for (let i = 0; i < batch.removed.length; i += CHUNK) {
    await tx.delete(t.holds).where(inArray(t.holds.id, batch.removed.slice(i, i + CHUNK)))
  }
  for (let i = 0; i < batch.entries.length; i += CHUNK) {
    await tx.insert(t.ledgerEntries).values(batch.entries.slice(i, i + CHUNK))
  }
  for (let i = 0; i < batch.usage.length; i += CHUNK) {
    await tx.insert(t.usageRecords).values(batch.usage.slice(i, i + CHUNK))
  }
  for (const [accountId, delta] of batch.deltas) {
    if (delta === 0) continue
    await tx
      .update(t.accounts)
      .set({ balanceUnits: sql`${t.accounts.balanceUnits} + ${delta}` })
      .where(eq(t.accounts.id, accountId))
  }
}
