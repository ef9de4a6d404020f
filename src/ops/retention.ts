import { asc, inArray, lt, sql } from 'drizzle-orm'
import type { Database, Tables } from '../db/database'
import type { Services } from '../services'

export const DAY_MS = 24 * 60 * 60 * 1000
const BATCH_ROWS = 1000
const FIRST_RUN_AFTER_MS = 60_000

type DailyTotal = Tables['usageDaily']['$inferInsert']

/** Days are Myanmar days (UTC+06:30 all year), as the gateway's caps and the portal count them. */
const MYANMAR_OFFSET_MS = 6.5 * 60 * 60 * 1000

/**
 * Usage rows from before the start of the Myanmar day `days` ago. Whole days only, so every row
 * of a day is rolled up by the same rule.
 */
export function retentionCutoff(now: number, days: number) {
  const today = Math.floor((now + MYANMAR_OFFSET_MS) / DAY_MS)
  return (today - days) * DAY_MS - MYANMAR_OFFSET_MS
}

/** The Myanmar date of an instant, `YYYY-MM-DD`. */
export function myanmarDate(at: number) {
  return new Date(at + MYANMAR_OFFSET_MS).toISOString().slice(0, 10)
}

/**
 * Moves usage rows older than `cutoff` into `usage_daily` (per account, Myanmar day and model), a
 * batch per transaction. A batch adds only the rows its own DELETE removed, so two processes
 * rolling up at once cannot count a row twice. Answers the number of rows rolled up.
 */
export async function rollUpUsage(db: Database, cutoff: number, batchRows = BATCH_ROWS) {
  let rolled = 0
  for (;;) {
    const count = await db.write((tx) => rollUpBatch(db, tx, cutoff, batchRows))
    rolled += count
    if (count < batchRows) return rolled
  }
}

async function rollUpBatch(db: Database, tx: Database['orm'], cutoff: number, limit: number) {
  const { usageRecords: usage, usageDaily: daily } = db.t
  const oldest = await tx
    .select({ id: usage.id })
    .from(usage)
    .where(lt(usage.createdAt, cutoff))
    .orderBy(asc(usage.createdAt))
    .limit(limit)
  if (oldest.length === 0) return 0

  const removed = await tx
    .delete(usage)
    .where(
      inArray(
        usage.id,
        oldest.map((row) => row.id),
      ),
    )
    .returning({
      accountId: usage.accountId,
      model: usage.model,
      createdAt: usage.createdAt,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      chargedUnits: usage.chargedUnits,
    })

  for (const total of dailyTotals(removed)) {
    await tx
      .insert(daily)
      .values(total)
      .onConflictDoUpdate({
        target: [daily.accountId, daily.day, daily.model],
        set: {
          requests: sql`${daily.requests} + ${total.requests}`,
          promptTokens: sql`${daily.promptTokens} + ${total.promptTokens}`,
          completionTokens: sql`${daily.completionTokens} + ${total.completionTokens}`,
          chargedUnits: sql`${daily.chargedUnits} + ${total.chargedUnits}`,
        },
      })
  }
  return oldest.length
}

interface RemovedRow {
  accountId: string
  model: string
  createdAt: number
  promptTokens: number
  completionTokens: number
  chargedUnits: number
}

export function dailyTotals(rows: RemovedRow[]): DailyTotal[] {
  const totals = new Map<string, DailyTotal>()
  for (const row of rows) {
    const day = myanmarDate(row.createdAt)
    const key = `${row.accountId}\u0000${day}\u0000${row.model}`
    const empty = { requests: 0, promptTokens: 0, completionTokens: 0, chargedUnits: 0 }
    const total = totals.get(key) ?? { accountId: row.accountId, day, model: row.model, ...empty }
    total.requests++
    total.promptTokens += row.promptTokens
    total.completionTokens += row.completionTokens
    total.chargedUnits += row.chargedUnits
    totals.set(key, total)
  }
  return [...totals.values()]
}

/** The daily job: first a minute after start-up, then every day; stopped by `stopServices`. */
export function startRetention(services: Services, firstRunAfterMs = FIRST_RUN_AFTER_MS) {
  const { db, clock, config, logger } = services
  let running: Promise<unknown> = Promise.resolve()

  const run = () => {
    const cutoff = retentionCutoff(clock.now(), config.USAGE_RETENTION_DAYS)
    running = rollUpUsage(db, cutoff).then(
      (rows) => {
        if (rows > 0) logger.info('usage_rolled_up', { rows, before: new Date(cutoff) })
      },
      (error) => logger.error('usage_roll_up_failed', { error }),
    )
  }
  const first = setTimeout(run, firstRunAfterMs)
  const daily = setInterval(run, DAY_MS)
  first.unref()
  daily.unref()
  services.onStop(async () => {
    clearTimeout(first)
    clearInterval(daily)
    await running
  })
}
