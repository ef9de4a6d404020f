import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'

/**
 * The only reader of `process.env`. Every setting is parsed here, and a bad value stops
 * start-up with one message that names every bad variable at once.
 */

type Parser<T> = (raw: string | undefined) => T

class BadValue extends Error {}

const text =
  (fallback?: string): Parser<string> =>
  (raw) => {
    const value = raw?.trim() || fallback
    if (value === undefined) throw new BadValue('is required')
    return value
  }

const optional: Parser<string | undefined> = (raw) => raw?.trim() || undefined

const int =
  (fallback: number, min: number, max: number): Parser<number> =>
  (raw) => {
    if (raw === undefined || raw.trim() === '') return fallback
    if (!/^-?\d+$/.test(raw.trim())) throw new BadValue(`must be a whole number, got "${raw}"`)
    const value = Number(raw)
    if (value < min || value > max) throw new BadValue(`must be between ${min} and ${max}`)
    return value
  }

const decimal =
  (fallback: number, min: number, max: number): Parser<number> =>
  (raw) => {
    if (raw === undefined || raw.trim() === '') return fallback
    if (!/^\d+(\.\d+)?$/.test(raw.trim())) throw new BadValue(`must be a number, got "${raw}"`)
    const value = Number(raw)
    if (value < min || value > max) throw new BadValue(`must be between ${min} and ${max}`)
    return value
  }

const oneOf =
  <T extends string>(values: readonly T[], fallback: T): Parser<T> =>
  (raw) => {
    const value = raw?.trim() || fallback
    if (!(values as readonly string[]).includes(value)) {
      throw new BadValue(`must be one of ${values.join(', ')}, got "${raw}"`)
    }
    return value as T
  }

const url =
  (fallback?: string): Parser<string> =>
  (raw) => {
    const value = raw?.trim() || fallback
    if (value === undefined) throw new BadValue('is required')
    if (!URL.canParse(value) || !/^https?:/.test(value)) {
      throw new BadValue(`must be an http(s) URL, got "${value}"`)
    }
    return value.replace(/\/+$/, '')
  }

const optionalUrl: Parser<string | undefined> = (raw) => (raw?.trim() ? url()(raw) : undefined)

const list: Parser<string[]> = (raw) =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

const flag =
  (fallback: boolean): Parser<boolean> =>
  (raw) => {
    const value = raw?.trim().toLowerCase()
    if (!value) return fallback
    if (['1', 'true', 'yes', 'on'].includes(value)) return true
    if (['0', 'false', 'no', 'off'].includes(value)) return false
    throw new BadValue(`must be true or false, got "${raw}"`)
  }

const optionalFlag: Parser<boolean | undefined> = (raw) =>
  raw?.trim() ? flag(false)(raw) : undefined

const spec = {
  NODE_ENV: oneOf(['development', 'production', 'test'], 'development'),
  PORT: int(3000, 0, 65535),
  HOST: text('127.0.0.1'),
  PUBLIC_BASE_URL: optionalUrl,
  DATA_DIR: text('./data'),
  DATABASE_URL: text('./data/sargalay.db'),
  LOG_LEVEL: oneOf(['debug', 'info', 'warn', 'error', 'silent'], 'info'),

  UPSTREAM_BASE_URL: url('https://openrouter.ai/api/v1'),
  UPSTREAM_API_KEY: optional,
  UPSTREAM_HEADERS_TIMEOUT_MS: int(60_000, 100, 600_000),
  STREAM_IDLE_TIMEOUT_MS: int(120_000, 100, 3_600_000),
  STREAM_KEEPALIVE_MS: int(15_000, 10, 600_000),
  MAX_BODY_BYTES: int(4 * 1024 * 1024, 1024, 64 * 1024 * 1024),
  DEFAULT_MAX_TOKENS: int(4096, 1, 1_000_000),
  UNKNOWN_PRICE_HOLD_MMK: int(2000, 1, 10_000_000),
  GENERATION_LOOKUP_TRIES: int(5, 0, 20),
  GENERATION_LOOKUP_DELAY_MS: int(1000, 0, 60_000),
  DEMO_STREAM_DELAY_MS: int(20, 0, 10_000),

  USD_TO_MMK_RATE: decimal(4500, 0.0001, 1_000_000),
  PRICE_MARKUP: decimal(1.2, 1, 100),
  CATALOG_TTL_SECONDS: int(3600, 1, 7 * 24 * 3600),
  CATALOG_COLD_START_TIMEOUT_MS: int(10_000, 100, 120_000),

  ADMIN_KEY: optional,
  JWT_SECRET: optional,
  SESSION_TTL_SECONDS: int(12 * 3600, 60, 30 * 24 * 3600),
  GITHUB_CLIENT_ID: optional,
  GITHUB_CLIENT_SECRET: optional,
  GITHUB_BASE_URL: url('https://github.com'),
  GITHUB_API_URL: url('https://api.github.com'),
  ADMIN_GITHUB_LOGINS: list,

  GOOGLE_GENERATIVE_AI_API_KEY: optional,
  ASSISTANT_MODEL: text('gemini-2.5-flash'),
  ASSISTANT_FALLBACK_MODEL: text('google/gemini-2.5-flash'),
  ASSISTANT_REQUESTS_PER_MINUTE: int(10, 1, 10_000),

  MMPAY_APP_ID: optional,
  MMPAY_PUBLISHABLE_KEY: optional,
  MMPAY_SECRET_KEY: optional,
  MMPAY_BASE_URL: optionalUrl,
  TOPUP_MIN_MMK: int(1000, 1, 100_000_000),
  TOPUP_MAX_MMK: int(1_000_000, 1, 100_000_000),
  TOPUP_EXPIRY_SECONDS: int(900, 60, 24 * 3600),
  MMPAY_TIMEOUT_MS: int(15_000, 100, 120_000),
  MMPAY_WEBHOOK_TOLERANCE_MS: int(86_400_000, 1000, 7 * 86_400_000),
  /** Unset: on with NODE_ENV=production (see webhook-routes.ts). */
  MMPAY_CONFIRM_WITH_GET: optionalFlag,
  MMPAY_SANDBOX_PORT: int(0, 0, 65535),
  TOPUP_RECONCILE_SECONDS: int(60, 1, 3600),
  TOPUP_CALLBACK_GRACE_SECONDS: int(120, 1, 24 * 3600),

  KEY_REQUESTS_PER_MINUTE: int(600, 1, 1_000_000),
  KEY_CONCURRENT_REQUESTS: int(32, 1, 100_000),
  SIGNIN_PER_MINUTE_PER_ADDRESS: int(10, 1, 100_000),
  TOPUPS_PER_MINUTE_PER_ADDRESS: int(5, 1, 100_000),
  WEBHOOKS_PER_MINUTE_PER_ADDRESS: int(600, 1, 1_000_000),
  TRUST_FORWARDED_FOR: flag(false),
  LIMITER_MAX_KEYS: int(100_000, 100, 10_000_000),
  LEDGER_FLUSH_MS: int(5, 0, 1000),
  LEDGER_HOLD_WRITE_AFTER_MS: int(1000, 0, 600_000),
  SHUTDOWN_GRACE_MS: int(10_000, 0, 600_000),
  // Spend caps and the dashboard read detailed rows for the current and previous month.
  USAGE_RETENTION_DAYS: int(90, 62, 3650),
}

type Spec = typeof spec
export type Config = { [K in keyof Spec]: ReturnType<Spec[K]> } & {
  ADMIN_KEY: string
  JWT_SECRET: string
  /** Which secrets were generated for this local run rather than configured. */
  generatedSecrets: string[]
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

/** Parses an environment into a Config; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = []
  const values: Record<string, unknown> = {}

  for (const [name, parse] of Object.entries(spec)) {
    try {
      values[name] = parse(env[name])
    } catch (error) {
      if (!(error instanceof BadValue)) throw error
      problems.push(`${name} ${error.message}`)
    }
  }

  if (values.TOPUP_MIN_MMK !== undefined && values.TOPUP_MAX_MMK !== undefined) {
    if ((values.TOPUP_MIN_MMK as number) > (values.TOPUP_MAX_MMK as number)) {
      problems.push('TOPUP_MIN_MMK must not be larger than TOPUP_MAX_MMK')
    }
  }
  const mmpay = ['MMPAY_APP_ID', 'MMPAY_PUBLISHABLE_KEY', 'MMPAY_SECRET_KEY', 'MMPAY_BASE_URL']
  const mmpaySet = mmpay.filter((name) => values[name] !== undefined)
  if (mmpaySet.length > 0 && mmpaySet.length < mmpay.length) {
    problems.push(`MMPay needs all of ${mmpay.join(', ')} (or none, for the sandbox)`)
  }
  if (values.NODE_ENV === 'production') {
    if (!values.ADMIN_KEY) problems.push('ADMIN_KEY is required when NODE_ENV=production')
    if (!values.JWT_SECRET) problems.push('JWT_SECRET is required when NODE_ENV=production')
  }
  for (const name of ['ADMIN_KEY', 'JWT_SECRET'] as const) {
    const value = values[name] as string | undefined
    if (value !== undefined && value.length < 16) problems.push(`${name} must be 16+ characters`)
  }
  if (problems.length > 0) throw new ConfigError(problems)

  return withLocalSecrets(values as Omit<Config, 'generatedSecrets'>)
}

/**
 * Local runs need no secret set by hand: missing ones are generated once and kept in the data
 * folder, so sessions and the admin key survive a restart.
 */
function withLocalSecrets(values: Omit<Config, 'generatedSecrets'>): Config {
  const generatedSecrets: string[] = []
  const file = join(values.DATA_DIR, 'local-secrets.json')
  let stored: Record<string, string> = {}

  if (!values.ADMIN_KEY || !values.JWT_SECRET) {
    mkdirSync(dirname(file), { recursive: true })
    if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8'))
  }

  for (const name of ['ADMIN_KEY', 'JWT_SECRET'] as const) {
    if (values[name]) continue
    stored[name] ??= (name === 'ADMIN_KEY' ? 'adm-' : '') + randomBytes(32).toString('base64url')
    values[name] = stored[name]
    generatedSecrets.push(name)
  }

  if (generatedSecrets.length > 0) {
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 })
  }
  return { ...values, generatedSecrets } as Config
}

/** True when the server only listens on this machine, where a local sign-in is allowed. */
export function listensOnLoopback(config: Pick<Config, 'HOST'>): boolean {
  return ['127.0.0.1', 'localhost', '::1'].includes(config.HOST)
}

/** The address clients use to reach us, for docs and OAuth redirects. */
export function publicBaseUrl(config: Pick<Config, 'PUBLIC_BASE_URL' | 'HOST' | 'PORT'>) {
  if (config.PUBLIC_BASE_URL) return config.PUBLIC_BASE_URL
  const host = config.HOST === '0.0.0.0' ? 'localhost' : config.HOST
  return `http://${host}:${config.PORT}`
}
