import { publicBaseUrl, type Config } from '../config'
import { UNITS_PER_MMK, type PriceFactors } from '../ledger/money'
import { wallets } from '../payments/types'
import type { Lang } from '../portal/i18n'
import { lookup } from '../portal/i18n'
import type { UpstreamTarget } from '../services'

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

// The portal's docs page says these in both languages; the assistant quotes the same text, so
// the two can never disagree.
const docKeys = {
  quickStart: ['docs.quickStart', 'docs.step1', 'docs.step2', 'docs.step3'],
  billingRules: ['docs.billing1', 'docs.billing2', 'docs.billing3', 'docs.disconnect'],
  topUp: ['landing.how2'],
}

const docText = (lang: Lang, keys: string[]) =>
  keys.map((key) => lookup(lang, key) ?? lookup('en', key) ?? '').filter(Boolean)

/**
 * What is true about the platform right now: the settings in force and the configuration, read
 * at the moment of the question (a changed rate reaches the next answer), plus our own docs.
 */
export function platformFacts({ config, pricing, upstream }: KnowledgeSources, lang: Lang) {
  const factors = pricing.current()

  return {
    api: {
      baseUrl: `${publicBaseUrl(config)}/v1`,
      quickStart: docText(lang, docKeys.quickStart),
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
      rules: docText(lang, docKeys.billingRules),
      defaultMaxTokensWhenUnset: config.DEFAULT_MAX_TOKENS,
      holdForUnknownPriceMmk: config.UNKNOWN_PRICE_HOLD_MMK,
    },
    topUp: {
      how: docText(lang, docKeys.topUp),
      wallets: [...wallets],
      minimumMmk: config.TOPUP_MIN_MMK,
      maximumMmk: config.TOPUP_MAX_MMK,
      codeValidMinutes: Math.round(config.TOPUP_EXPIRY_SECONDS / 60),
    },
    demoUpstream: upstream.demo,
  }
}

export type PlatformFacts = ReturnType<typeof platformFacts>
