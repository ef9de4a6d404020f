import { and, asc, desc, eq, inArray, isNotNull, lte, notLike } from 'drizzle-orm'
import type { Database, Tables } from '../db/database'
import { newId } from '../lib/ids'
import type { TopupStatus } from './states'

export type TopupOrder = Tables['topupOrders']['$inferSelect']
type OrderChanges = Partial<Omit<TopupOrder, 'id' | 'accountId' | 'createdAt'>>

/** A resolved review keeps its reason behind this prefix, so history is not lost. */
export const RESOLVED = 'resolved:'

/** Queries on `topup_orders` and `payment_events`; no business rules. */
/** An order's times as the JSON APIs show them. */
export function orderTimes(row: TopupOrder) {
  return {
    expires_at: new Date(row.expiresAt).toISOString(),
    paid_at: row.paidAt === null ? null : new Date(row.paidAt).toISOString(),
    created_at: new Date(row.createdAt).toISOString(),
  }
}

export class TopupOrders {
  constructor(private readonly db: Database) {}

  private get t() {
    return this.db.t.topupOrders
  }

  /** Inserts the order unless its idempotency key is taken; returns whether it was inserted. */
  async insert(order: TopupOrder): Promise<boolean> {
    const rows = await this.db.write((tx) =>
      tx.insert(this.t).values(order).onConflictDoNothing().returning({ id: this.t.id }),
    )
    return rows.length === 1
  }

  async get(id: string): Promise<TopupOrder | undefined> {
    const [row] = await this.db.orm.select().from(this.t).where(eq(this.t.id, id)).limit(1)
    return row
  }

  async byIdempotencyKey(accountId: string, key: string) {
    const [row] = await this.db.orm
      .select()
      .from(this.t)
      .where(and(eq(this.t.accountId, accountId), eq(this.t.idempotencyKey, key)))
      .limit(1)
    return row
  }

  /**
   * Moves an order only if it is still in `from`, with its event in the same transaction;
   * returns the updated row, or undefined when another writer moved it first.
   */
  async transition(
    id: string,
    from: TopupStatus,
    changes: OrderChanges,
    event: { kind: string; detail: unknown; at: number },
  ): Promise<TopupOrder | undefined> {
    return this.db.write(async (tx) => {
      const [row] = await tx
        .update(this.t)
        .set({ ...changes, updatedAt: event.at })
        .where(and(eq(this.t.id, id), eq(this.t.status, from)))
        .returning()
      if (row) await tx.insert(this.db.t.paymentEvents).values(eventRow(id, event))
      return row
    })
  }

  async recordEvent(orderId: string | null, event: { kind: string; detail: unknown; at: number }) {
    await this.db.write((tx) => tx.insert(this.db.t.paymentEvents).values(eventRow(orderId, event)))
  }

  async update(id: string, changes: OrderChanges, at: number) {
    await this.db.write((tx) =>
      tx
        .update(this.t)
        .set({ ...changes, updatedAt: at })
        .where(eq(this.t.id, id)),
    )
  }

  listForAccount(accountId: string, limit = 20) {
    return this.db.orm
      .select()
      .from(this.t)
      .where(eq(this.t.accountId, accountId))
      .orderBy(desc(this.t.createdAt))
      .limit(limit)
  }

  /** Orders in the given states created at or before `createdBefore`, oldest first. */
  listStale(statuses: TopupStatus[], createdBefore: number, limit = 100) {
    return this.db.orm
      .select()
      .from(this.t)
      .where(and(inArray(this.t.status, statuses), lte(this.t.createdAt, createdBefore)))
      .orderBy(asc(this.t.createdAt))
      .limit(limit)
  }

  listExpired(now: number, limit = 100) {
    return this.db.orm
      .select()
      .from(this.t)
      .where(and(eq(this.t.status, 'PENDING'), lte(this.t.expiresAt, now)))
      .orderBy(asc(this.t.expiresAt))
      .limit(limit)
  }

  listNeedingReview(limit = 100) {
    return this.db.orm
      .select()
      .from(this.t)
      .where(and(isNotNull(this.t.reviewReason), notLike(this.t.reviewReason, `${RESOLVED}%`)))
      .orderBy(asc(this.t.updatedAt))
      .limit(limit)
  }

  listRecent(limit = 100) {
    return this.db.orm.select().from(this.t).orderBy(desc(this.t.createdAt)).limit(limit)
  }

  events(orderId: string) {
    const e = this.db.t.paymentEvents
    return this.db.orm.select().from(e).where(eq(e.orderId, orderId)).orderBy(asc(e.createdAt))
  }
}

function eventRow(orderId: string | null, event: { kind: string; detail: unknown; at: number }) {
  return {
    id: newId('pev', event.at),
    orderId,
    kind: event.kind,
    detail: JSON.stringify(event.detail),
    createdAt: event.at,
  }
}
