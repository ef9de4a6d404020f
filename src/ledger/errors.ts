/** A refused money movement; the caller turns it into its own kind of error. */
export class LedgerError extends Error {
  constructor(
    readonly code: 'unknown_account' | 'invalid_amount' | 'overflow' | 'insufficient_funds',
    message: string,
  ) {
    super(message)
  }
}

export class InsufficientFunds extends LedgerError {
  constructor(
    readonly neededUnits: number,
    readonly availableUnits: number,
  ) {
    super('insufficient_funds', 'available balance does not cover this request')
  }
}
