import { and, eq, gte, sql } from 'drizzle-orm'
import type { Database } from '../../db/database'

const DAY_MS = 24 * 3600 * 1000
/** Myanmar time is UTC+6:30 all year: days in the chart start at midnight in Yangon. */
export const YANGON_OFFSET_MS = 6.5 * 3600 * 1000

export interface DaySpend {
  /** Midnight in Yangon, as epoch ms. */
  day: number
  chargedUnits: number
  requests: number
}

/** The Yangon day number of an instant, counted from the epoch. */
export function yangonDay(ms: number) {
  return Math.floor((ms + YANGON_OFFSET_MS) / DAY_MS)
}

export function dayStart(day: number) {
  return day * DAY_MS - YANGON_OFFSET_MS
}

/**
 * Charged units per Yangon day over the last `days` days, today included, zero-filled. One range
 * read over the (account, created_at) index, grouped in the database.
 */
export async function dailySpend(
  db: Database,
  accountId: string,
  now: number,
  days = 30,
): Promise<DaySpend[]> {
  const t = db.t.usageRecords
  const firstDay = yangonDay(now) - days + 1
  // Constants inlined, not bound: PostgreSQL matches GROUP BY to the select list by its text.
  const dayOf = sql<number>`(${t.createdAt} + ${sql.raw(String(YANGON_OFFSET_MS))}) / ${sql.raw(String(DAY_MS))}`
  const rows = await db.orm
    .select({
      day: dayOf,
      charged: sql<string>`coalesce(sum(${t.chargedUnits}), 0)`,
      requests: sql<string>`count(*)`,
    })
    .from(t)
    .where(and(eq(t.accountId, accountId), gte(t.createdAt, dayStart(firstDay))))
    .groupBy(dayOf)

  const byDay = new Map(rows.map((row) => [Math.floor(Number(row.day)), row]))
  return Array.from({ length: days }, (_, i) => {
    const row = byDay.get(firstDay + i)
    return {
      day: dayStart(firstDay + i),
      chargedUnits: Number(row?.charged ?? 0),
      requests: Number(row?.requests ?? 0),
    }
  })
}
