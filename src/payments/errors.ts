/**
 * What can go wrong talking to a payment provider, told apart so callers can decide: a network
 * failure or timeout may be retried, an error status carries the provider's code, and a body we
 * cannot read means the provider changed or answered something else.
 */
export class PaymentProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export class ProviderNetworkError extends PaymentProviderError {
  constructor(
    readonly operation: string,
    readonly timedOut: boolean,
    cause: unknown,
  ) {
    super(`${operation}: ${timedOut ? 'timed out' : 'network failure'}`, true, { cause })
  }
}

export class ProviderStatusError extends PaymentProviderError {
  constructor(
    readonly operation: string,
    readonly status: number,
    /** The provider's own code (KA0003, BA002, …) when its body names one. */
    readonly code: string | undefined,
  ) {
    super(`${operation}: HTTP ${status}${code ? ` ${code}` : ''}`, status === 429 || status >= 500)
  }
}

export class ProviderBodyError extends PaymentProviderError {
  constructor(
    readonly operation: string,
    readonly status: number,
  ) {
    super(`${operation}: unexpected response body (HTTP ${status})`, false)
  }
}

/** A callback whose signature, nonce or body does not hold up; nothing may change. */
export class WebhookSignatureError extends Error {}
