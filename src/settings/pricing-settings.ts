import { inArray } from 'drizzle-orm'
import type { Database } from '../db/database'
import type { Clock } from '../lib/clock'
import type { PriceFactors } from '../ledger/money'

export interface PricingDefaults {
  usdToMmkRate: number
  priceMarkup: number
}

type Listener = (factors: PriceFactors) => void

/**
 * The rate and markup in force. Read on every request from memory; a change is written to the
 * database first, then takes effect for every price at once.
 */
export class PricingSettings {
  private factors: PriceFactors
  private readonly listeners: Listener[] = []

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    defaults: PricingDefaults,
  ) {
    this.factors = { ...defaults }
  }

  async load() {
    const t = this.db.t.settings
    const rows = await this.db.orm
      .select()
      .from(t)
      .where(inArray(t.key, ['usd_to_mmk_rate', 'price_markup']))
    for (const row of rows) {
      if (row.key === 'usd_to_mmk_rate') this.factors.usdToMmkRate = Number(row.value)
      if (row.key === 'price_markup') this.factors.priceMarkup = Number(row.value)
    }
  }

  current(): PriceFactors {
    return this.factors
  }

  onChange(listener: Listener) {
    this.listeners.push(listener)
  }

  async update(changes: Partial<PriceFactors>): Promise<PriceFactors> {
    const next = {
      usdToMmkRate: changes.usdToMmkRate ?? this.factors.usdToMmkRate,
      priceMarkup: changes.priceMarkup ?? this.factors.priceMarkup,
    }
    const now = this.clock.now()
    const t = this.db.t.settings
    const rows = [
      { key: 'usd_to_mmk_rate', value: String(next.usdToMmkRate), updatedAt: now },
      { key: 'price_markup', value: String(next.priceMarkup), updatedAt: now },
    ]
    await this.db.write(async (tx) => {
      for (const row of rows) {
        await tx
          .insert(t)
          .values(row)
          .onConflictDoUpdate({ target: t.key, set: { value: row.value, updatedAt: now } })
      }
    })
    this.factors = next
    for (const listener of this.listeners) listener(next)
    return next
  }
}
