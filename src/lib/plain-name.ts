/**
 * A display or key name: trimmed, inner whitespace collapsed, no control characters, 1 to `max`
 * long. The portal and the admin API keep names alike, so one shows as the other wrote it.
 */
export function plainName(raw: unknown, max = 60): string | undefined {
  if (typeof raw !== 'string') return undefined
  const name = raw
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
  return name.length >= 1 && name.length <= max ? name : undefined
}
