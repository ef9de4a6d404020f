import type { Database } from '../db/database'
import type { Logger } from '../ops/logger'
import { batchOperations, batchPlan, type Batch, type PlacedHold } from './entry-writes'
import type { LedgerEntry, UsageRow } from './types'

/** After this many failed group commits in a row, the batch is written one operation apiece. */
const FAILURES_BEFORE_SPLIT = 3

/**
 * Group commit. Operations are applied to memory at once and queued here; a flush writes
 * everything queued in one transaction. Balance updates are increments, so their order across
 * flushes cannot matter.
 *
 * A hold is written only once it has been open for `holdWriteAfterMs`: a stored hold serves
 * only to count, after a crash, the requests that were cut off (they are released at start-up
 * either way), and most requests end long before, so their holds would be written only to be
 * deleted. An explicit `flush()` writes every open hold.
 */
export class Journal {
  private entries: LedgerEntry[] = []
  private usage: UsageRow[] = []
  private placedHolds = new Map<string, PlacedHold & { placedAt: number }>()
  private removedHolds = new Set<string>()
  private deltas = new Map<string, number>()
  private timer: ReturnType<typeof setTimeout> | null = null
  private flushing: Promise<void> | null = null
  private failures = 0

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly windowMs: number,
    private readonly holdWriteAfterMs = 0,
  ) {}

  get pending(): number {
    return this.entries.length + this.usage.length + this.placedHolds.size + this.removedHolds.size
  }

  get healthy(): boolean {
    return this.failures === 0
  }

  addEntry(entry: LedgerEntry) {
    this.entries.push(entry)
    this.deltas.set(entry.accountId, (this.deltas.get(entry.accountId) ?? 0) + entry.amountUnits)
    this.schedule()
  }

  addUsage(row: UsageRow) {
    this.usage.push(row)
    this.schedule()
  }

  placeHold(id: string, accountId: string, amountUnits: number, at: number) {
    this.placedHolds.set(id, { id, accountId, amountUnits, at, placedAt: performance.now() })
    this.schedule()
  }

  removeHold(id: string) {
    if (!this.placedHolds.delete(id)) this.removedHolds.add(id)
    this.schedule()
  }

  /** Writes everything queued so far, open holds included; resolves once it is durable. */
  flush(): Promise<void> {
    return this.write(true)
  }

  private async write(allHolds: boolean): Promise<void> {
    while (this.flushing) await this.flushing
    const batch = this.takeBatch(allHolds)
    if (isEmpty(batch)) return
    this.flushing = this.writeBatch(batch).finally(() => (this.flushing = null))
    await this.flushing
  }

  private schedule() {
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.write(false)
        .catch(() => {})
        // Holds too young to write wait for a later window.
        .finally(() => this.placedHolds.size > 0 && this.schedule())
    }, this.windowMs)
  }

  private async writeBatch(batch: Batch) {
    try {
      await this.db.applyPlan(batchPlan(batch))
      this.failures = 0
    } catch (error) {
      this.failures++
      this.logger.error('ledger_flush_failed', { error, failures: this.failures })
      if (this.failures >= FAILURES_BEFORE_SPLIT && (await this.writeApart(batch))) return
      this.putBack(batch)
      setTimeout(() => this.schedule(), Math.min(5000, 50 * 2 ** this.failures))
      throw error
    }
  }

  /**
   * One operation the database keeps refusing must not stop every later write. Written one by
   * one, the operations that still fail while the database answers are set aside and logged
   * for an operator (the audit will show the difference). While the database is down, nothing
   * is set aside and the batch is kept whole.
   */
  private async writeApart(batch: Batch): Promise<boolean> {
    if (!(await this.db.ping().catch(() => false))) return false
    const refused: string[] = []
    let written = 0
    for (const operation of batchOperations(this.db, batch)) {
      try {
        await this.db.write(async (tx) => void (await operation.write(tx)))
        written++
      } catch (error) {
        refused.push(operation.what)
        this.logger.error('ledger_write_set_aside', { operation: operation.what, error })
      }
    }
    this.failures = 0
    this.logger.warn('ledger_batch_written_apart', { written, setAside: refused.length })
    return true
  }

  private takeBatch(allHolds: boolean): Batch {
    const placed: PlacedHold[] = []
    const dueBefore = performance.now() - this.holdWriteAfterMs
    for (const [id, hold] of this.placedHolds) {
      if (!allHolds && hold.placedAt > dueBefore) continue
      placed.push({ id, accountId: hold.accountId, amountUnits: hold.amountUnits, at: hold.at })
      this.placedHolds.delete(id)
    }
    const batch: Batch = {
      entries: this.entries,
      usage: this.usage,
      placed,
      removed: [...this.removedHolds],
      deltas: [...this.deltas],
    }
    this.entries = []
    this.usage = []
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
      this.placedHolds.set(hold.id, { ...hold, placedAt: -Infinity })
    }
    for (const id of batch.removed) this.removedHolds.add(id)
  }
}

// Balance deltas come only with entries, so a batch without rows has nothing to write.
function isEmpty({ entries, usage, placed, removed }: Batch): boolean {
  return entries.length + usage.length + placed.length + removed.length === 0
}
