import type { PortalContext } from '../../src/portal/context'
import type { MessageKey } from '../../src/portal/i18n'
import { CsrfField } from './forms'

interface Link {
  href: string
  label: MessageKey
  signedIn?: boolean
  admin?: boolean
}

const links: Link[] = [
  { href: '/', label: 'nav.home' },
  { href: '/dashboard', label: 'nav.dashboard', signedIn: true },
  { href: '/keys', label: 'nav.keys', signedIn: true },
  { href: '/models', label: 'nav.models' },
  { href: '/usage', label: 'nav.usage', signedIn: true },
  { href: '/topup', label: 'nav.topup', signedIn: true },
  { href: '/assistant', label: 'nav.assistant' },
  { href: '/guide', label: 'nav.docs' },
  { href: '/settings', label: 'nav.settings', signedIn: true },
  { href: '/console', label: 'nav.admin', admin: true },
]

function isCurrent(path: string, href: string) {
  const pathname = path.split('?')[0] ?? ''
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`)
}

/** The header: brand, who is signed in, the language switch and the main menu. */
export function Nav({ ctx }: { ctx: PortalContext }) {
  const { t } = ctx.i18n
  // An admin-key session has no account of its own: it sees the admin pages, not a dashboard.
  const signedIn = ctx.account !== undefined || ctx.isAdmin
  const visible = links.filter(
    (link) => (!link.signedIn || ctx.account !== undefined) && (!link.admin || ctx.isAdmin),
  )
  return (
    <header class="top">
      <div class="bar">
        <a class="brand" href="/" safe>
          {t('common.appName')}
        </a>
        <div class="bar-end">
          <LanguageSwitch ctx={ctx} />
          {signedIn ? <SignOut ctx={ctx} /> : <SignInLink ctx={ctx} />}
        </div>
      </div>
      <nav class="main" aria-label={t('nav.main')}>
        <ul>
          {visible.map((link) => (
            <li>
              <a
                href={link.href}
                aria-current={isCurrent(ctx.path, link.href) ? 'page' : undefined}
                safe
              >
                {t(link.label)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  )
}

/** Links to this same page in the other language; `?lang=` also sets the cookie. */
function LanguageSwitch({ ctx }: { ctx: PortalContext }) {
  const other = ctx.lang === 'en' ? 'my' : 'en'
  const separator = ctx.path.includes('?') ? '&' : '?'
  return (
    <a
      href={`${ctx.path}${separator}lang=${other}`}
      hreflang={other}
      lang={other}
      id="language-switch"
      title={ctx.i18n.t('nav.language')}
      safe
    >
      {ctx.i18n.t(`lang.${other}`)}
    </a>
  )
}

function SignInLink({ ctx }: { ctx: PortalContext }) {
  return (
    <a href="/signin" safe>
      {ctx.i18n.t('nav.signIn')}
    </a>
  )
}

function SignOut({ ctx }: { ctx: PortalContext }) {
  const { t } = ctx.i18n
  return (
    <form class="inline" method="post" action="/signout">
      <CsrfField ctx={ctx} />
      {ctx.account ? (
        <span class="muted" translate="no" safe>
          {ctx.account.name}
        </span>
      ) : (
        ''
      )}{' '}
      <button class="link" type="submit" safe>
        {t('nav.signOut')}
      </button>
    </form>
  )
}
