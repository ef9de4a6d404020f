import type { CreditInput, Ledger } from '../ledger/ledger'
import type { StoredEntry } from '../ledger/types'

/**
 * What an adjustment under a caller's reference came to: applied now, a retry of one applied
 * before (with the balance that one left), or the reference already spent on something else.
 */
export type AdjustmentOutcome =
  { kind: 'applied' | 'repeated'; balanceUnits: number } | { kind: 'conflict' }

/**
 * An admin adjustment made at most once per reference. A retry must be the same request (same
 * account, amount, reason and note); anything else under a used reference is a mistake, and
 * answering it with the first result would tell the caller money moved when it did not.
 */
export async function adjustOnce(ledger: Ledger, input: CreditInput): Promise<AdjustmentOutcome> {
  const earlier = await ledger.entryByReference(input.reference)
  if (earlier) return repeatOf(earlier, input)
  const result = await ledger.credit(input)
  if (result.applied) return { kind: 'applied', balanceUnits: result.balanceUnits }
  // Another request wrote the reference between the look-up and the credit.
  const winner = await ledger.entryByReference(input.reference)
  return winner ? repeatOf(winner, input) : { kind: 'conflict' }
}

function repeatOf(entry: StoredEntry, input: CreditInput): AdjustmentOutcome {
  const same =
    entry.accountId === input.accountId &&
    entry.amountUnits === input.amountUnits &&
    entry.reason === input.reason &&
    entry.note === (input.note ?? null)
  return same ? { kind: 'repeated', balanceUnits: entry.balanceAfterUnits } : { kind: 'conflict' }
}
