import { sql } from 'drizzle-orm'
import type { Database } from '../../db/database'
import { usageWhere } from '../../ledger/usage-queries'
import type { UsageFilters, UsageTotals } from './usage-page'

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
 * Charged units per Yangon day over the last `days` days, today included, zero-filled. Days
 * that have ended cannot change, so each is read from the database once per process and kept;
 * a visit then reads only today's rows, over the (account, created_at) index.
 */
export class SpendCache {
  private readonly closed = new Map<string, Map<number, DaySpend>>()

  constructor(private readonly db: Database) {}

  async daily(accountId: string, now: number, days = 30): Promise<DaySpend[]> {
    const today = yangonDay(now)
    const firstDay = today - days + 1
    const known = this.closed.get(accountId) ?? new Map<number, DaySpend>()
    this.closed.set(accountId, known)

    let missingFrom = firstDay
    while (missingFrom < today && known.has(missingFrom)) missingFrom++
    const fresh = await spendByDay(this.db, accountId, dayStart(missingFrom))
    for (let day = missingFrom; day < today; day++) known.set(day, fresh.get(day) ?? zero(day))
    for (const day of known.keys()) if (day < firstDay) known.delete(day)

    return Array.from({ length: days }, (_, i) => {
      const day = firstDay + i
      return day === today ? (fresh.get(day) ?? zero(day)) : known.get(day)!
    })
  }
}

const zero = (day: number): DaySpend => ({ day: dayStart(day), chargedUnits: 0, requests: 0 })

/** Spend per Yangon day from `from` on. */
async function spendByDay(db: Database, accountId: string, from: number) {
  const totals = await totalsByDay(db, { accountId, from })
  const byDay = new Map<number, DaySpend>()
  for (const [day, { chargedUnits, requests }] of totals) {
    byDay.set(day, { day: dayStart(day), chargedUnits, requests })
  }
  return byDay
}

/** Usage totals per Yangon day, grouped in the database. */
export async function totalsByDay(
  db: Database,
  filters: UsageFilters,
): Promise<Map<number, UsageTotals>> {
  const t = db.t.usageRecords
  // Constants inlined, not bound: PostgreSQL matches GROUP BY to the select list by its text.
  const offset = sql.raw(String(YANGON_OFFSET_MS))
  const dayOf = sql<number>`(${t.createdAt} + ${offset}) / ${sql.raw(String(DAY_MS))}`
  const query = db.orm
    .select({
      day: dayOf,
      requests: sql<string>`count(*)`,
      promptTokens: sql<string>`coalesce(sum(${t.promptTokens}), 0)`,
      completionTokens: sql<string>`coalesce(sum(${t.completionTokens}), 0)`,
      chargedUnits: sql<string>`coalesce(sum(${t.chargedUnits}), 0)`,
    })
    .from(t)
    .where(usageWhere(db, filters))
    .groupBy(dayOf)
  // A million rows take a few hundred milliseconds to sum: aside, so no request waits on it.
  const rows = await db.readAside(query)
  return new Map(
    rows.map(([day, requests, promptTokens, completionTokens, chargedUnits]) => [
      Math.floor(Number(day)),
      {
        requests: Number(requests),
        promptTokens: Number(promptTokens),
        completionTokens: Number(completionTokens),
        chargedUnits: Number(chargedUnits),
      },
    ]),
  )
}
