/**
 * EMVCo merchant-presented QR payloads (the format behind MMQR): a flat sequence of
 * `ID(2) LEN(2) VALUE` data objects, templates nesting the same encoding, ending in a CRC.
 */

export type EmvValue = string | EmvObject[]

export interface EmvObject {
  id: string
  value: EmvValue
}

export class EmvError extends Error {}

/** CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR. */
export function crc16(text: string): string {
  let crc = 0xffff
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff
    }
  }
  return crc.toString(16).toUpperCase().padStart(4, '0')
}

function encodeObject({ id, value }: EmvObject): string {
  const text = typeof value === 'string' ? value : value.map(encodeObject).join('')
  if (!/^\d{2}$/.test(id)) throw new EmvError(`bad data object id "${id}"`)
  if (text.length < 1 || text.length > 99) {
    throw new EmvError(`data object ${id} has length ${text.length}, allowed 1-99`)
  }
  return id + String(text.length).padStart(2, '0') + text
}

/** Encodes the objects (without 63), puts `00` first and appends the CRC. */
export function buildEmvPayload(objects: EmvObject[]): string {
  const body = objects.filter((o) => o.id !== '00' && o.id !== '63')
  const format = objects.find((o) => o.id === '00') ?? { id: '00', value: '01' }
  const withoutCrc = [format, ...body].map(encodeObject).join('') + '6304'
  return withoutCrc + crc16(withoutCrc)
}

/** Splits one level of TLV text into data objects; throws EmvError on a malformed sequence. */
export function parseTlv(text: string): { id: string; value: string }[] {
  const objects: { id: string; value: string }[] = []
  let at = 0
  while (at < text.length) {
    const id = text.slice(at, at + 2)
    const lengthText = text.slice(at + 2, at + 4)
    if (!/^\d{2}$/.test(id) || !/^\d{2}$/.test(lengthText)) {
      throw new EmvError(`malformed data object at position ${at}`)
    }
    const length = Number(lengthText)
    const value = text.slice(at + 4, at + 4 + length)
    if (length === 0 || value.length !== length) {
      throw new EmvError(`data object ${id} at position ${at} is cut short`)
    }
    objects.push({ id, value })
    at += 4 + length
  }
  return objects
}

/**
 * Parses and validates a whole payload: `00` first with value `01`, `63` last with length 4,
 * no duplicate ids, and a matching CRC (either case). Returns the root objects by id.
 */
export function parseEmv(payload: string): Map<string, string> {
  const objects = parseTlv(payload)
  const first = objects[0]
  const last = objects.at(-1)
  if (first?.id !== '00' || first.value !== '01') {
    throw new EmvError('payload format indicator 00=01 must come first')
  }
  if (last?.id !== '63' || last.value.length !== 4) {
    throw new EmvError('CRC 63 must come last with length 4')
  }

  const byId = new Map<string, string>()
  for (const { id, value } of objects) {
    if (byId.has(id)) throw new EmvError(`data object ${id} appears twice`)
    byId.set(id, value)
  }

  const expected = crc16(payload.slice(0, -4))
  if (last.value.toUpperCase() !== expected) {
    throw new EmvError(`CRC mismatch: payload says ${last.value}, computed ${expected}`)
  }
  return byId
}

/** The sub-objects of a template such as 26 or 62, by id. */
export function templateOf(root: Map<string, string>, id: string): Map<string, string> {
  const text = root.get(id)
  if (text === undefined) return new Map()
  return new Map(parseTlv(text).map((o) => [o.id, o.value]))
}
