import { Elysia, t } from 'elysia'
import { SettingsPage } from '../../../views/pages/settings'
import { serializeCookie } from '../cookies'
import type { PortalDeps } from '../context'
import { plainName } from '../../lib/plain-name'
import { isLang, type MessageKey } from '../i18n'
import { LANG_COOKIE } from '../language'
import { portalPlugin } from '../plugin'
import { page, redirect } from '../render'

/** A message for each bad field, in the form's order, so none is described as another. */
function settingsErrors(name: string | undefined, lang: string): MessageKey[] {
  const errors: MessageKey[] = []
  if (!isLang(lang)) errors.push('settings.languageInvalid')
  if (!name) errors.push('settings.nameInvalid')
  return errors
}

export function settingsRoutes(deps: PortalDeps) {
  const { accounts } = deps.services
  return new Elysia({ name: 'portal-settings' })
    .use(portalPlugin(deps))
    .get(
      '/settings',
      ({ portal, account, query }) =>
        page(
          portal,
          { title: portal.i18n.t('settings.title') },
          <SettingsPage ctx={portal} name={account.name} saved={query.saved === '1'} />,
        ),
      { signedIn: true, query: t.Object({ saved: t.Optional(t.String()) }) },
    )
    .post(
      '/settings',
      async ({ portal, account, body }) => {
        const name = plainName(body.name)
        if (!name || !isLang(body.lang)) {
          const errors = settingsErrors(name, body.lang)
          const title = portal.i18n.t('settings.title')
          const form = <SettingsPage ctx={portal} name={body.name} errors={errors} />
          return page(portal, { title, status: 400 }, form)
        }
        await accounts.update(account.id, { name, locale: body.lang })
        const cookie = { maxAgeSeconds: 365 * 24 * 3600, secure: portal.secure }
        portal.cookies.push(serializeCookie(LANG_COOKIE, body.lang, cookie))
        return redirect(portal, '/settings?saved=1')
      },
      { signedIn: true, body: t.Object({ name: t.String(), lang: t.String(), _csrf: t.String() }) },
    )
}
