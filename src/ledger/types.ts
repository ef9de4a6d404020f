import type { Tables } from '../db/database'

export type LedgerEntry = Tables['ledgerEntries']['$inferInsert']
export type StoredEntry = Tables['ledgerEntries']['$inferSelect']
export type UsageRow = Tables['usageRecords']['$inferInsert']

/** Why money moved; every ledger entry carries one. */
export type EntryReason = 'topup' | 'charge' | 'adjustment' | 'refund'

export interface Hold {
  id: string
  accountId: string
  amountUnits: number
  createdAt: number
}

export interface Funds {
  balanceUnits: number
  heldUnits: number
  /** Balance less open holds: what a new request may reserve. */
  availableUnits: number
}
