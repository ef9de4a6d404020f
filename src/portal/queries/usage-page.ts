import { and, desc, lt, lte, or } from 'drizzle-orm'
import type { Database } from '../../db/database'
import { usageWhere, type UsageRecord } from '../../ledger/usage-queries'
import { dayStart, yangonDay } from './spend'

/** The usage page's filters, already checked: the key belongs to the account. */
export interface UsageFilters {
  accountId: string
  keyId?: string
  model?: string
  /** Epoch ms, inclusive / exclusive. */
  from?: number
  to?: number
}

/** Where a page starts: just older than this row. Keyset, so page 1,000 costs what page 1 does. */
export interface UsageCursor {
  createdAt: number
  id: string
}

export interface UsageTotals {
  requests: number
  promptTokens: number
  completionTokens: number
  chargedUnits: number
}

export async function usagePage(
  db: Database,
  filters: UsageFilters,
  cursor: UsageCursor | undefined,
  size: number,
): Promise<{ rows: UsageRecord[]; next?: UsageCursor }> {
  const t = db.t.usageRecords
  // The bound on created_at alone lets the index seek; the OR only breaks ties within it.
  const older = cursor
    ? and(
        lte(t.createdAt, cursor.createdAt),
        or(lt(t.createdAt, cursor.createdAt), lt(t.id, cursor.id)),
      )
    : undefined
  const rows = await db.orm
    .select()
    .from(t)
    .where(and(usageWhere(db, filters), older))
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(size + 1)
  const page = rows.slice(0, size)
  const last = page[page.length - 1]
  return {
    rows: page,
    next: rows.length > size && last ? { createdAt: last.createdAt, id: last.id } : undefined,
  }
}

export function encodeCursor(cursor: UsageCursor) {
  return `${cursor.createdAt}.${cursor.id}`
}

export function decodeCursor(text: string | undefined): UsageCursor | undefined {
  const match = /^(\d{1,16})\.([A-Za-z0-9_]{1,64})$/.exec(text ?? '')
  return match ? { createdAt: Number(match[1]), id: match[2]! } : undefined
}

/** A `YYYY-MM-DD` day from a date input as Yangon midnight; `end` gives the next midnight. */
export function dayBoundary(text: string | undefined, end = false): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? '')
  if (!match) return undefined
  const utcMidnight = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
  if (!Number.isFinite(utcMidnight)) return undefined
  const day = yangonDay(utcMidnight + 12 * 3600 * 1000)
  return dayStart(end ? day + 1 : day)
}
