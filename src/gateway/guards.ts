import type { CatalogModel } from '../catalog/types'
import { ApiError, invalidRequest, notFound } from '../http/api-error'
import { InsufficientFunds } from '../ledger/errors'
import type { Ledger } from '../ledger/ledger'
import { unitsToMmk } from '../ledger/money'
import type { Hold } from '../ledger/types'
import type { Endpoint } from './endpoints'

// The checks a request passes before anything is forwarded, one function each, so that
// further ones (rate limits, spend caps) slot in between; the key itself is checked by
// `authenticate` (src/auth/bearer.ts).

/** What the gateway needs of the catalog: a lookup, and a wait for the list on a cold start. */
export interface ModelSource {
  readonly ready: boolean
  get(id: string): CatalogModel | undefined
  resolve(id: string): Promise<CatalogModel | undefined>
}

/** The catalog model a request names, fit for the endpoint; 404 `model_not_found` otherwise. */
export async function resolveModel(catalog: ModelSource, endpoint: Endpoint, id: string) {
  const model = catalog.ready ? catalog.get(id) : await catalog.resolve(id)
  if (!model && !catalog.ready) {
    const message = 'The model list is not available yet. Please retry shortly.'
    throw new ApiError(503, 'service_unavailable_error', 'catalog_unavailable', message)
  }
  const named = JSON.stringify(id.slice(0, 200))
  if (!model) throw notFound(`The model ${named} does not exist.`, 'model_not_found', 'model')
  if (model.kind !== endpoint.kind) {
    const kind = model.kind === 'embedding' ? 'an embedding' : 'a chat'
    throw invalidRequest(
      `The model ${named} is ${kind} model; it does not serve ${endpoint.route}.`,
      'model',
      'model_not_supported',
    )
  }
  return model
}

/** Places the hold; 402 `insufficient_quota` when the available balance cannot cover it. */
export function reserve(
  ledger: Ledger,
  accountId: string,
  units: number,
  endpoint: Endpoint,
): Hold {
  try {
    return ledger.placeHold(accountId, units)
  } catch (error) {
    if (!(error instanceof InsufficientFunds)) throw error
    throw insufficientQuota(error, endpoint)
  }
}

function insufficientQuota(error: InsufficientFunds, endpoint: Endpoint) {
  const needed = unitsToMmk(error.neededUnits)
  const available = unitsToMmk(Math.max(0, error.availableUnits))
  const advice = endpoint.generates
    ? 'Top up your balance or set a lower max_tokens.'
    : 'Top up your balance.'
  return new ApiError(
    402,
    'insufficient_quota',
    'insufficient_quota',
    `This request needs up to ${needed} MMK ` +
      `but your available balance is ${available} MMK. ${advice}`,
    null,
    { 'x-should-retry': 'false' },
  )
}
