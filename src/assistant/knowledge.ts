import { publicBaseUrl, type Config } from '../config'
import { UNITS_PER_MMK, type PriceFactors } from '../ledger/money'
import type { UpstreamTarget } from '../services'

/** The wallets whose banking apps scan an MMQR code; the payments part accepts any of them. */
export const MMQR_WALLETS = ['KBZPay', 'WavePay', 'AYA Pay', 'CB Pay'] as const

type KnowledgeConfig = Pick<
  Config,
  | 'PUBLIC_BASE_URL'
  | 'HOST'
  | 'PORT'
  | 'TOPUP_MIN_MMK'
  | 'TOPUP_MAX_MMK'
  | 'TOPUP_EXPIRY_SECONDS'
  | 'DEFAULT_MAX_TOKENS'
  | 'UNKNOWN_PRICE_HOLD_MMK'
>

export interface KnowledgeSources {
  config: KnowledgeConfig
  pricing: { current(): PriceFactors }
  upstream: UpstreamTarget
}

/**
 * What is true about the platform right now, read from the settings in force and the
 * configuration at the moment of the question, so a changed rate reaches the next answer.
 */
export function platformFacts({ config, pricing, upstream }: KnowledgeSources) {
  const factors = pricing.current()
  const baseUrl = `${publicBaseUrl(config)}/v1`

  return {
    api: {
      baseUrl,
      compatibility: 'OpenAI chat completions, completions, embeddings and models',
      authentication: 'Authorization: Bearer <API key created on the API keys page>',
      endpoints: [
        'POST /v1/chat/completions',
        'POST /v1/completions',
        'POST /v1/embeddings',
        'GET /v1/models',
        'GET /v1/key',
      ],
    },
    pricing: {
      usdToMmkRate: factors.usdToMmkRate,
      priceMarkup: factors.priceMarkup,
      smallestChargeMmk: 1 / UNITS_PER_MMK,
    },
    billing: {
      chargeFormula: 'upstream cost in USD × usdToMmkRate × priceMarkup, rounded up',
      withoutReportedCost: 'tokens × catalog prices, converted the same way',
      holdBeforeForwarding:
        'the most a request can cost (prompt plus max_tokens) is held from the balance',
      defaultMaxTokensWhenUnset: config.DEFAULT_MAX_TOKENS,
      holdForUnknownPriceMmk: config.UNKNOWN_PRICE_HOLD_MMK,
      whenBalanceTooLow: 'HTTP 402 and nothing is forwarded',
      failedBeforeFirstByte: 'the hold is released and nothing is charged',
    },
    topUp: {
      method: 'scan an MMQR code in a banking app',
      wallets: [...MMQR_WALLETS],
      minimumMmk: config.TOPUP_MIN_MMK,
      maximumMmk: config.TOPUP_MAX_MMK,
      codeValidMinutes: Math.round(config.TOPUP_EXPIRY_SECONDS / 60),
    },
    demoUpstream: upstream.demo,
  }
}

export type PlatformFacts = ReturnType<typeof platformFacts>
