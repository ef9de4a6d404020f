import { and, eq, gte, lt, sql } from 'drizzle-orm'
import type { Database } from '../db/database'

const DAY_MS = 86_400_000
/** Days and months are counted in Myanmar time (UTC+06:30, no daylight saving). */
export const MYANMAR_OFFSET_MS = 6.5 * 3_600_000

export interface SpendWindow {
  todayUnits: number
  monthUnits: number
}

interface Running {
  day: number
  month: number
  dayUnits: number
  monthUnits: number
}

interface Baseline extends SpendWindow {
  day: number
}

const dayOf = (at: number) => Math.floor((at + MYANMAR_OFFSET_MS) / DAY_MS)

function monthOf(at: number) {
  const local = new Date(at + MYANMAR_OFFSET_MS)
  return local.getUTCFullYear() * 12 + local.getUTCMonth()
}

const monthStart = (month: number) =>
  Date.UTC(Math.floor(month / 12), month % 12, 1) - MYANMAR_OFFSET_MS

/**
 * What each API key spent today and this month, without summing usage rows per question:
 * charges settled by this process are counted in memory as they happen, and the rows written
 * before it started are summed once per key and day.
 */
export class KeySpend {
  private readonly running = new Map<string, Running>()
  private readonly baselines = new Map<string, Baseline>()

  constructor(
    private readonly db: Database,
    /** Rows created before this instant were written by an earlier process. */
    private readonly since: number,
  ) {}

  add(keyId: string, units: number, at: number) {
    const day = dayOf(at)
    const month = monthOf(at)
    const entry = this.running.get(keyId)
    if (!entry || month > entry.month) {
      this.running.set(keyId, { day, month, dayUnits: units, monthUnits: units })
      return
    }
    if (month === entry.month) entry.monthUnits += units
    if (day > entry.day) {
      entry.day = day
      entry.dayUnits = units
    } else if (day === entry.day) entry.dayUnits += units
  }

  async of(accountId: string, keyId: string, now: number): Promise<SpendWindow> {
    const day = dayOf(now)
    const month = monthOf(now)
    const before = await this.baseline(accountId, keyId, day, month)
    const entry = this.running.get(keyId)
    return {
      todayUnits: before.todayUnits + (entry?.day === day ? entry.dayUnits : 0),
      monthUnits: before.monthUnits + (entry?.month === month ? entry.monthUnits : 0),
    }
  }

  private async baseline(accountId: string, keyId: string, day: number, month: number) {
    const known = this.baselines.get(keyId)
    if (known?.day === day) return known

    const t = this.db.t.usageRecords
    const dayStart = day * DAY_MS - MYANMAR_OFFSET_MS
    const todayOnly = sql`case when ${t.createdAt} >= ${dayStart} then ${t.chargedUnits} else 0 end`
    const query = this.db.orm
      .select({
        today: sql<string>`coalesce(sum(${todayOnly}), 0)`,
        month: sql<string>`coalesce(sum(${t.chargedUnits}), 0)`,
      })
      .from(t)
      .where(
        and(
          eq(t.accountId, accountId),
          eq(t.keyId, keyId),
          gte(t.createdAt, monthStart(month)),
          lt(t.createdAt, this.since),
        ),
      )
    // A busy key's month can be many rows: summed aside, so other requests do not wait.
    const [[today, monthUnits] = []] = await this.db.readAside(query)
    const fresh = { day, todayUnits: Number(today ?? 0), monthUnits: Number(monthUnits ?? 0) }
    this.baselines.set(keyId, fresh)
    return fresh
  }
}
