import en from '../../locales/en.json'
import my from '../../locales/my.json'
import { unitsToMmk } from '../ledger/money'

/** The portal's languages; English is the fallback everywhere. */
export const languages = ['en', 'my'] as const
export type Lang = (typeof languages)[number]

type Messages = typeof en
type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>
}[keyof T & string]

/** Every message key, from en.json; a typo fails to compile. */
export type MessageKey = Leaves<Messages>
export type MessageVars = Record<string, string | number>

const catalogs: Record<Lang, unknown> = { en, my }

// Myanmar's own time zone for every date we show: the users are there, the server may not be.
const timeZone = 'Asia/Yangon'

export interface I18n {
  lang: Lang
  /** The message in this language, with `{name}` placeholders filled; numbers are formatted. */
  t(key: MessageKey, vars?: MessageVars): string
  number(value: number, maxDigits?: number): string
  /** Ledger units as kyat, e.g. "1,234.5 MMK" or "၁,၂၃၄.၅ ကျပ်". */
  mmk(units: number, maxDigits?: number): string
  /** A kyat amount already in MMK (prices shown for display only). */
  mmkAmount(mmk: number, maxDigits?: number): string
  date(ms: number): string
  dateTime(ms: number): string
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (languages as readonly string[]).includes(value)
}

export function lookup(lang: Lang, key: string): string | undefined {
  let node: unknown = catalogs[lang]
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return typeof node === 'string' ? node : undefined
}

const cache = new Map<Lang, I18n>()

/** One formatter set per language, built once. Burmese uses Myanmar digits throughout. */
export function i18nFor(lang: Lang): I18n {
  const cached = cache.get(lang)
  if (cached) return cached

  const numberFormats = new Map<number, Intl.NumberFormat>()
  const number = (value: number, maxDigits = 0) => {
    let format = numberFormats.get(maxDigits)
    if (!format) {
      format = new Intl.NumberFormat(lang, { maximumFractionDigits: maxDigits })
      numberFormats.set(maxDigits, format)
    }
    return format.format(value)
  }
  // Burmese abbreviated month names are cryptic ("ဒီ"), so Burmese spells months out.
  const month = lang === 'my' ? 'long' : 'short'
  const dateFormat = new Intl.DateTimeFormat(lang, {
    year: 'numeric',
    month,
    day: 'numeric',
    timeZone,
  })
  const dateTimeFormat = new Intl.DateTimeFormat(lang, {
    year: 'numeric',
    month,
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  })

  const t = (key: MessageKey, vars?: MessageVars) => {
    const template = lookup(lang, key) ?? lookup('en', key) ?? key
    if (!vars) return template
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = vars[name]
      if (value === undefined) return whole
      return typeof value === 'number' ? number(value) : value
    })
  }
  const mmkAmount = (mmk: number, maxDigits = 2) =>
    t('common.mmk', { amount: number(mmk, maxDigits) })

  const i18n: I18n = {
    lang,
    t,
    number,
    mmk: (units, maxDigits) => mmkAmount(unitsToMmk(units), maxDigits),
    mmkAmount,
    date: (ms) => dateFormat.format(ms),
    dateTime: (ms) => dateTimeFormat.format(ms),
  }
  cache.set(lang, i18n)
  return i18n
}
