import { unitsToMmk } from '../ledger/money'
import type { GatewayParts } from './exchange'
import { authenticate } from '../auth/bearer'

/** `GET /v1/key`: the calling key's name, its account's money and the key's recent spend. */
export async function keyInfo(parts: GatewayParts, request: Request) {
  const { keys, ledger, clock } = parts.services
  const key = authenticate(keys, request)
  const funds = ledger.fundsOf(key.accountId)
  const spend = await parts.spend.of(key.accountId, key.id, clock.now())
  return {
    data: {
      name: (await keys.nameOf(key.id)) ?? '',
      balance_mmk: unitsToMmk(funds.balanceUnits),
      available_mmk: unitsToMmk(funds.availableUnits),
      spend_today_mmk: unitsToMmk(spend.todayUnits),
      spend_month_mmk: unitsToMmk(spend.monthUnits),
    },
  }
}
