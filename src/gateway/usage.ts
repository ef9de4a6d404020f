import { unitsToMmk, usdToNano } from '../ledger/money'

type Json = Record<string, unknown>

/** Usage as the upstream reported it; `costNano` is its USD cost, null when not reported. */
export interface ReportedUsage {
  promptTokens: number
  completionTokens: number
  costNano: bigint | null
}

const count = (value: unknown) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0

/** Reads an OpenAI/OpenRouter `usage` object; null when there is none. */
export function readUsage(usage: unknown): ReportedUsage | null {
  if (typeof usage !== 'object' || usage === null) return null
  const fields = usage as Json
  const cost = fields.cost
  return {
    promptTokens: count(fields.prompt_tokens),
    completionTokens: count(fields.completion_tokens),
    costNano: typeof cost === 'number' || typeof cost === 'string' ? usdToNano(cost) : null,
  }
}

/** The fields of `usage` a client may see; the upstream's cost, BYOK flag and details are not. */
const CLIENT_FIELDS = [
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'prompt_tokens_details',
  'completion_tokens_details',
]

/** The client's view of `usage`: its own token counts and what it was charged, in MMK. */
export function clientUsage(usage: Json, chargedUnits: number): Json {
  const shown: Json = {}
  for (const field of CLIENT_FIELDS) if (field in usage) shown[field] = usage[field]
  shown.cost_mmk = unitsToMmk(chargedUnits)
  return shown
}
