import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm'
import type { Database, Tables } from '../db/database'

export type UsageRecord = Tables['usageRecords']['$inferSelect']

export interface UsageFilter {
  accountId: string
  keyId?: string
  model?: string
  /** Epoch ms, inclusive. */
  from?: number
  /** Epoch ms, exclusive. */
  to?: number
  limit: number
  offset?: number
}

/** One account's usage records, newest first. */
export async function listUsage(db: Database, filter: UsageFilter): Promise<UsageRecord[]> {
  const t = db.t.usageRecords
  return db.orm
    .select()
    .from(t)
    .where(usageWhere(db, filter))
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(filter.limit)
    .offset(filter.offset ?? 0)
}

export function usageWhere(db: Database, filter: Omit<UsageFilter, 'limit'>): SQL | undefined {
  const t = db.t.usageRecords
  return and(
    eq(t.accountId, filter.accountId),
    filter.keyId ? eq(t.keyId, filter.keyId) : undefined,
    filter.model ? eq(t.model, filter.model) : undefined,
    filter.from !== undefined ? gte(t.createdAt, filter.from) : undefined,
    filter.to !== undefined ? lt(t.createdAt, filter.to) : undefined,
  )
}
