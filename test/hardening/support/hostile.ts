import type { Random } from './random'

/** A request body as bytes or text, with the content type it claims. */
export interface HostileBody {
  body: string | Uint8Array<ArrayBuffer>
  contentType: string
  why: string
}

const strangeStrings = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\u202e\u0000<script>alert(1)</script>',
  "'; drop table accounts; --",
  '../../etc/passwd',
  'ကျပ် ၁၀၀၀',
  '%00%ff',
  '${7*7}{{7*7}}',
  'x'.repeat(70_000),
]

const strangeNumbers = [
  0,
  -0,
  -1,
  0.5,
  1e-300,
  1e300,
  9007199254740993,
  -9007199254740993,
  123456789012345678901234567890,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
]

/** Numbers JSON.stringify cannot write, so they go in as raw text. */
const rawNumbers = ['1e400', '-1e400', '1' + '0'.repeat(400), '0.' + '0'.repeat(400) + '1', '-0.0']

/** A value of any JSON type, with hostile leaves. */
export function hostileValue(random: Random, depth = 0): unknown {
  const kind = random.int(depth > 3 ? 5 : 7)
  if (kind === 0) return random.pick(strangeStrings)
  if (kind === 1) return random.pick(strangeNumbers)
  if (kind === 2) return random.pick([true, false, null])
  if (kind === 3) return random.int(1_000_000) - 500_000
  if (kind === 4) return 'v' + random.int(1000)
  if (kind === 5)
    return Array.from({ length: random.int(4) }, () => hostileValue(random, depth + 1))
  const object: Record<string, unknown> = {}
  for (let i = random.int(4); i > 0; i--) {
    object[random.pick(['a', 'model', 'amount_mmk', '__proto__', 'constructor', 'x'])] =
      hostileValue(random, depth + 1)
  }
  return object
}

/** A hostile value as form or header text; objects without a prototype have no String(). */
export function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '')
}

/** A valid body with one field replaced, removed or duplicated, or the text broken. */
export function mutate(random: Random, valid: Record<string, unknown>): HostileBody {
  const json = 'application/json'
  const fields = Object.keys(valid)
  const field = random.pick(fields)
  const choice = random.int(9)

  if (choice === 0)
    return {
      body: JSON.stringify({ ...valid, [field]: hostileValue(random) }),
      contentType: json,
      why: `${field} replaced`,
    }
  if (choice === 1) {
    const { [field]: _dropped, ...rest } = valid
    return { body: JSON.stringify(rest), contentType: json, why: `${field} missing` }
  }
  if (choice === 2) {
    const text = JSON.stringify(valid).replace(
      /}$/,
      `,"${field}":${JSON.stringify(hostileValue(random))}}`,
    )
    return { body: text, contentType: json, why: `${field} duplicated` }
  }
  if (choice === 3) {
    const text = JSON.stringify({ ...valid, [field]: 0 }).replace(
      /"(\w+)":0/,
      `"$1":${random.pick(rawNumbers)}`,
    )
    return { body: text, contentType: json, why: `${field} a number beyond doubles` }
  }
  if (choice === 4)
    return { body: invalidUtf8(JSON.stringify(valid)), contentType: json, why: 'invalid UTF-8' }
  if (choice === 5)
    return {
      body: deepNesting(random.pick([100, 5_000, 100_000])),
      contentType: json,
      why: 'deep nesting',
    }
  if (choice === 6) {
    const text = JSON.stringify(valid)
    return { body: text.slice(0, random.int(text.length)), contentType: json, why: 'truncated' }
  }
  if (choice === 7) {
    const type = random.pick([
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      '',
    ])
    return { body: JSON.stringify(valid), contentType: type, why: `content type "${type}"` }
  }
  return { body: JSON.stringify(hostileValue(random)), contentType: json, why: 'another shape' }
}

/** JSON text with bytes that are not UTF-8 spliced into a string. */
export function invalidUtf8(text: string): Uint8Array<ArrayBuffer> {
  const bytes = new TextEncoder().encode(text)
  const at = Math.max(1, bytes.indexOf(0x22) + 1)
  return new Uint8Array([
    ...bytes.slice(0, at),
    0xff,
    0xfe,
    0xc3,
    0x28,
    0xed,
    0xa0,
    0x80,
    ...bytes.slice(at),
  ])
}

export function deepNesting(levels: number): string {
  return '['.repeat(levels) + ']'.repeat(levels)
}

/** Header values a client may send: huge, control characters, repeated separators. */
export function hostileHeader(random: Random): string {
  return random.pick([
    'Bearer ' + 'k'.repeat(random.pick([10, 5_000])),
    'Bearer',
    'Basic Zm9vOmJhcg==',
    'Bearer sk-' + '\u00ff'.repeat(8),
    'bearer  ' + 'x'.repeat(40),
    ',,,;;;',
    'Bearer sk-sg-' + 'a'.repeat(43),
  ])
}
