import { unitsToMmk, usdToNano } from '../ledger/money'

type Json = Record<string, unknown>

/** Usage as the upstream reported it; `costNano` is its USD cost, null when not reported. */
export interface ReportedUsage {
  promptTokens: number
  completionTokens: number
  costNano: bigint | null
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
const count = (value: unknown) => (isCount(value) ? value : 0)

/**
 * Reads an OpenAI/OpenRouter `usage` object; null when there is none, or when it reports
 * neither a token count nor a cost, which would otherwise bill the request as free.
 */
export function readUsage(usage: unknown): ReportedUsage | null {
  if (typeof usage !== 'object' || usage === null) return null
  const fields = usage as Json
  const cost = fields.cost
  const costNano = typeof cost === 'number' || typeof cost === 'string' ? usdToNano(cost) : null
  if (costNano === null && !isCount(fields.prompt_tokens) && !isCount(fields.completion_tokens)) {
    return null
  }

  return {
    promptTokens: count(fields.prompt_tokens),
    completionTokens: count(fields.completion_tokens),
    costNano,
  }
}

// The fields of `usage` a client may see: token counts, and objects of them. The upstream's
// cost, BYOK flag and cost details are not.
const COUNT_FIELDS = ['prompt_tokens', 'completion_tokens', 'total_tokens']
const DETAIL_FIELDS = ['prompt_tokens_details', 'completion_tokens_details']

/**
 * The client's view of `usage`: its own token counts and, once known, what it was charged in
 * MMK. Counts an upstream wrote as anything but a whole number of tokens are left out rather
 * than passed on to break a client's arithmetic.
 */
export function clientUsage(usage: Json, chargedUnits?: number): Json {
  const shown: Json = {}
  for (const field of COUNT_FIELDS) if (isCount(usage[field])) shown[field] = usage[field]
  for (const field of DETAIL_FIELDS) {
    const counts = countsOf(usage[field])
    if (counts) shown[field] = counts
  }
  if (chargedUnits !== undefined) shown.cost_mmk = unitsToMmk(chargedUnits)
  return shown
}

function countsOf(details: unknown): Json | undefined {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return undefined
  return Object.fromEntries(Object.entries(details).filter(([, value]) => isCount(value)))
}
