import { readCookie } from './cookies'
import { isLang, type Lang } from './i18n'

export const LANG_COOKIE = 'sg_lang'

/** Where the language came from; a `?lang=` choice is remembered in a cookie. */
export interface LanguageChoice {
  lang: Lang
  fromQuery: boolean
}

/** The request's language: `?lang=`, then the cookie, then Accept-Language, then English. */
export function chooseLanguage(request: Request): LanguageChoice {
  const query = new URL(request.url).searchParams.get('lang')
  if (isLang(query)) return { lang: query, fromQuery: true }

  const cookie = readCookie(request, LANG_COOKIE)
  if (isLang(cookie)) return { lang: cookie, fromQuery: false }

  return { lang: fromAcceptLanguage(request.headers.get('accept-language')), fromQuery: false }
}

/** The first supported language by the header's own preference order (q-values). */
export function fromAcceptLanguage(header: string | null): Lang {
  if (!header) return 'en'
  const ranked = header
    .split(',')
    .map((item, index) => {
      const [tag = '', ...params] = item.trim().split(';')
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean)
      return { base: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q) : 1, index }
    })
    .filter((item) => item.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  const match = ranked.find((item) => isLang(item.base))
  return match && isLang(match.base) ? match.base : 'en'
}
