import type { Database } from '../../db/database'
import { dayStart, totalsByDay, yangonDay } from './spend'
import type { UsageFilters, UsageTotals } from './usage-page'

/** A day counts as closed an hour after it ends, once answers cut short near midnight settle. */
const SETTLE_MARGIN_MS = 3600 * 1000
/** Filter combinations remembered; the oldest is forgotten first. */
const MAX_FILTERS = 1000

type DayTotals = Map<number, UsageTotals>

/**
 * Usage totals for the usage page. Summing a busy account's rows takes hundreds of
 * milliseconds, and rows of a closed day never change, so each filter's closed days are summed
 * once per process, by day, and kept; a later visit reads only the days still open.
 */
export class UsageTotalsCache {
  private readonly closed = new Map<string, { upTo: number; days: DayTotals }>()

  constructor(private readonly db: Database) {}

  async totals(filters: UsageFilters, now: number): Promise<UsageTotals> {
    const openFrom = yangonDay(now - SETTLE_MARGIN_MS)
    const known = await this.closedDays(filters, openFrom)
    const open = await totalsByDay(this.db, {
      ...filters,
      from: later(filters.from, dayStart(openFrom)),
    })

    const sum = zero()
    const fromDay = filters.from === undefined ? -Infinity : yangonDay(filters.from)
    const toDay = filters.to === undefined ? Infinity : yangonDay(filters.to - 1)
    for (const [day, totals] of known) if (day >= fromDay && day <= toDay) add(sum, totals)
    for (const totals of open.values()) add(sum, totals)
    return sum
  }

  /** Every closed day of the filter's key, model and account, read from where it stopped. */
  private async closedDays(filters: UsageFilters, openFrom: number): Promise<DayTotals> {
    const name = [filters.accountId, filters.keyId ?? '', filters.model ?? ''].join('\u0000')
    let entry = this.closed.get(name)
    if (!entry) entry = { upTo: -Infinity, days: new Map() }
    this.closed.delete(name)
    this.closed.set(name, entry)
    if (this.closed.size > MAX_FILTERS) this.closed.delete(this.closed.keys().next().value!)

    if (entry.upTo < openFrom) {
      const from = entry.upTo === -Infinity ? undefined : dayStart(entry.upTo)
      const fresh = await totalsByDay(this.db, {
        accountId: filters.accountId,
        keyId: filters.keyId,
        model: filters.model,
        from,
        to: dayStart(openFrom),
      })
      for (const [day, totals] of fresh) entry.days.set(day, totals)
      entry.upTo = openFrom
    }
    return entry.days
  }
}

const later = (a: number | undefined, b: number) => (a === undefined ? b : Math.max(a, b))

const zero = (): UsageTotals => ({
  requests: 0,
  promptTokens: 0,
  completionTokens: 0,
  chargedUnits: 0,
})

function add(into: UsageTotals, more: UsageTotals) {
  into.requests += more.requests
  into.promptTokens += more.promptTokens
  into.completionTokens += more.completionTokens
  into.chargedUnits += more.chargedUnits
}
