type Json = Record<string, unknown>

// Upstream-only fields (PROTOCOLS 1B.1): which provider served the request, its raw finish
// reason, and the operator's upstream account. OpenRouter writes them as plain strings or null
// right after another key, so a regular expression removes them without parsing; anything
// else falls back to parsing.
const SIMPLE_FIELDS = /,"(?:provider|native_finish_reason|user_id)":(?:"(?:[^"\\]|\\.)*"|null)/g
const LEFTOVERS = [
  '"provider"',
  '"native_finish_reason"',
  '"openrouter_metadata"',
  '"provider_name"',
  '"user_id"',
]

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** True when the JSON text may still carry an upstream-only field. */
function mayLeak(text: string) {
  for (const field of LEFTOVERS) if (text.includes(field)) return true
  return false
}

/** JSON text without upstream-only fields; text that is not JSON is returned as it was. */
export function stripUpstreamFields(text: string): string {
  const stripped = mayLeak(text) ? text.replace(SIMPLE_FIELDS, '') : text
  if (!mayLeak(stripped)) return stripped
  try {
    const parsed: unknown = JSON.parse(stripped)
    if (!isObject(parsed)) return stripped
    stripObject(parsed)
    return JSON.stringify(parsed)
  } catch {
    return stripped
  }
}

/** Removes upstream-only fields from a parsed response or chunk, in place. */
export function stripObject(body: Json) {
  delete body.provider
  delete body.openrouter_metadata
  delete body.user_id
  if (isObject(body.error)) delete body.error.metadata
  if (!Array.isArray(body.choices)) return
  for (const choice of body.choices) {
    if (!isObject(choice)) continue
    delete choice.native_finish_reason
    if (isObject(choice.error)) delete choice.error.metadata
  }
}
