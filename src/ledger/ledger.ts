import { asc, eq, gt } from 'drizzle-orm'
import type { Database } from '../db/database'
import type { Clock } from '../lib/clock'
import { newId } from '../lib/ids'
import type { Logger } from '../ops/logger'
import { InsufficientFunds, LedgerError } from './errors'
import type { Journal } from './journal'
import { MAX_BALANCE_UNITS } from './money'
import { writeEntryNow } from './entry-writes'
import type { EntryReason, Funds, Hold, LedgerEntry, StoredEntry, UsageRow } from './types'

interface AccountFunds {
  /** The account's id: the same string as this entry's map key, for others to share. */
  id: string
  balance: number
  held: number
}

const LOAD_PAGE = 10_000

export interface CreditInput {
  accountId: string
  /** Positive to add money, negative for a debit adjustment. */
  amountUnits: number
  reason: Exclude<EntryReason, 'charge'>
  /** Unique per real-world event; a second credit with the same reference changes nothing. */
  reference: string
  note?: string
}

export interface CreditResult {
  applied: boolean
  balanceUnits: number
}

/**
 * The only code that moves money. Balances and holds live in memory, where JavaScript's single
 * thread makes check-and-hold atomic, and every change is queued to the journal. Credits and
 * adjustments wait until they are durable; charges are durable within one journal window.
 */
export class Ledger {
  private readonly funds = new Map<string, AccountFunds>()
  private readonly holds = new Map<string, Hold>()
  private readonly creditsInFlight = new Map<string, Promise<CreditResult>>()

  constructor(
    private readonly db: Database,
    private readonly journal: Journal,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Rebuilds memory from the database; holds left by a dead process are released. */
  async load(): Promise<void> {
    // In pages, so the peak of loading (which stays resident) is one page, not every account.
    const t = this.db.t.accounts
    for (let after = ''; ;) {
      const page = await this.db.orm
        .select({ id: t.id, balance: t.balanceUnits })
        .from(t)
        .where(gt(t.id, after))
        .orderBy(asc(t.id))
        .limit(LOAD_PAGE)
      for (const row of page) this.funds.set(row.id, { id: row.id, balance: row.balance, held: 0 })
      if (page.length < LOAD_PAGE) break
      after = page[page.length - 1]!.id
    }

    const stale = await this.db.write(async (tx) =>
      tx.delete(this.db.t.holds).returning({ id: this.db.t.holds.id }),
    )
    if (stale.length > 0) this.logger.warn('stale_holds_released', { count: stale.length })
  }

  /** Makes a new account known with a zero balance. */
  openAccount(accountId: string) {
    if (!this.funds.has(accountId))
      this.funds.set(accountId, { id: accountId, balance: 0, held: 0 })
  }

  /**
   * The ledger's own copy of an account id. With 100,000 keys, each holding its account's id
   * as a separate string cost megabytes; the key index keeps this one instead.
   */
  sharedId(accountId: string): string {
    return this.funds.get(accountId)?.id ?? accountId
  }

  has(accountId: string) {
    return this.funds.has(accountId)
  }

  fundsOf(accountId: string): Funds {
    const funds = this.require(accountId)
    return {
      balanceUnits: funds.balance,
      heldUnits: funds.held,
      availableUnits: funds.balance - funds.held,
    }
  }

  async credit(input: CreditInput): Promise<CreditResult> {
    const running = this.creditsInFlight.get(input.reference)
    if (running) return running.then((result) => ({ ...result, applied: false }))

    const work = this.applyCredit(input)
    this.creditsInFlight.set(input.reference, work)
    try {
      return await work
    } finally {
      this.creditsInFlight.delete(input.reference)
    }
  }

  private async applyCredit(input: CreditInput): Promise<CreditResult> {
    const funds = this.require(input.accountId)
    const amount = input.amountUnits
    if (!Number.isSafeInteger(amount) || amount === 0) {
      throw new LedgerError('invalid_amount', 'amount must be a non-zero whole number of units')
    }
    if (funds.balance + amount > MAX_BALANCE_UNITS) {
      throw new LedgerError('overflow', 'the balance would exceed the largest allowed amount')
    }
    if (amount < 0 && funds.balance - funds.held + amount < 0) {
      throw new LedgerError(
        'insufficient_funds',
        'a debit may not take the available balance below zero',
      )
    }

    // A debit leaves memory before it is written, so no request can spend it meanwhile; a
    // credit arrives in memory only once durable, so nothing spends money that may not come.
    const entry = this.entry(input.accountId, amount, funds.balance + amount, input)
    if (amount < 0) funds.balance += amount
    let written = false
    try {
      written = await writeEntryNow(this.db, entry)
    } finally {
      if (amount < 0 && !written) funds.balance -= amount
    }
    if (written && amount > 0) funds.balance += amount
    return { applied: written, balanceUnits: funds.balance }
  }

  /**
   * The entry written under a reference, if any. Credits are durable before `credit` returns,
   * so a caller retrying one finds here what its first attempt did.
   */
  async entryByReference(reference: string): Promise<StoredEntry | undefined> {
    const t = this.db.t.ledgerEntries
    const [row] = await this.db.orm.select().from(t).where(eq(t.reference, reference)).limit(1)
    return row
  }

  /** Reserves money for a request; throws InsufficientFunds when the available amount is short. */
  placeHold(accountId: string, amountUnits: number): Hold {
    const funds = this.require(accountId)
    if (!Number.isSafeInteger(amountUnits) || amountUnits < 0) {
      throw new LedgerError('invalid_amount', 'a hold must be a whole, non-negative amount')
    }
    const available = funds.balance - funds.held
    if (amountUnits > available) throw new InsufficientFunds(amountUnits, available)

    const hold = {
      id: newId('hld', this.clock.now()),
      accountId,
      amountUnits,
      createdAt: this.clock.now(),
    }
    funds.held += amountUnits
    this.holds.set(hold.id, hold)
    this.journal.placeHold(hold.id, accountId, amountUnits, hold.createdAt)
    return hold
  }

  /**
   * Turns a hold into a charge and records the request's usage with it. The charge may exceed
   * the hold (the one bounded overdraft); a hold already settled or released charges nothing.
   */
  settle(holdId: string, chargeUnits: number, usage: UsageRow): number {
    const hold = this.takeHold(holdId)
    if (!hold) return 0
    if (!Number.isSafeInteger(chargeUnits) || chargeUnits < 0) {
      throw new LedgerError('invalid_amount', 'a charge must be a whole, non-negative amount')
    }

    const funds = this.require(hold.accountId)
    this.journal.addUsage({ ...usage, accountId: hold.accountId, chargedUnits: chargeUnits })
    if (chargeUnits > 0) {
      funds.balance -= chargeUnits
      const reference = `charge:${usage.id}`
      this.journal.addEntry(
        this.entry(hold.accountId, -chargeUnits, funds.balance, { reason: 'charge', reference }),
      )
    }
    return chargeUnits
  }

  /** Gives a hold back untouched, optionally recording the request that owned it. */
  release(holdId: string, usage?: UsageRow) {
    const hold = this.takeHold(holdId)
    if (hold && usage)
      this.journal.addUsage({ ...usage, accountId: hold.accountId, chargedUnits: 0 })
  }

  openHolds(): Hold[] {
    return [...this.holds.values()]
  }

  /** Waits until every change so far is in the database. */
  flush(): Promise<void> {
    return this.journal.flush()
  }

  private entry(
    accountId: string,
    amountUnits: number,
    balanceAfterUnits: number,
    why: { reason: EntryReason; reference: string; note?: string },
  ): LedgerEntry {
    const now = this.clock.now()
    return {
      id: newId('led', now),
      accountId,
      amountUnits,
      balanceAfterUnits,
      reason: why.reason,
      reference: why.reference,
      note: why.note ?? null,
      createdAt: now,
    }
  }

  private takeHold(holdId: string): Hold | undefined {
    const hold = this.holds.get(holdId)
    if (!hold) return undefined
    this.holds.delete(holdId)
    this.require(hold.accountId).held -= hold.amountUnits
    this.journal.removeHold(holdId)
    return hold
  }

  private require(accountId: string): AccountFunds {
    const funds = this.funds.get(accountId)
    if (!funds) throw new LedgerError('unknown_account', `no account ${accountId}`)
    return funds
  }

  /** For the audit: every account's balance and hold total as memory holds them. */
  memorySnapshot(): Map<string, { balance: number; held: number }> {
    return new Map([...this.funds].map(([id, f]) => [id, { balance: f.balance, held: f.held }]))
  }
}
