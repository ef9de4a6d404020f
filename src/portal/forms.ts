/**
 * Form input rules shared by the portal. A rejected value re-renders the same form with a
 * translated message and status 400 (the one validation convention of the portal).
 */

/** A display or key name: trimmed, inner whitespace collapsed, no control characters, 1-60. */
export function plainName(raw: unknown, max = 60): string | undefined {
  if (typeof raw !== 'string') return undefined
  const name = raw
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
  return name.length >= 1 && name.length <= max ? name : undefined
}

/** An optional form field: empty text counts as absent. */
export function optionalText(raw: unknown): string | undefined {
  return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined
}
