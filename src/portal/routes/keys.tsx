import { Elysia, t } from 'elysia'
import type { ApiKeyRow } from '../../auth/key-index'
import { KeyRow, KeysPage, KeysPanel, type KeysProps } from '../../../views/pages/keys'
import type { PortalContext, PortalDeps } from '../context'
import { errorPage } from '../error-page'
import { plainName } from '../../lib/plain-name'
import { portalPlugin } from '../plugin'
import { fragment, isFragmentRequest, page, redirect } from '../render'

/** Live keys first, newest first; revoked ones after them. */
function ordered(keys: ApiKeyRow[]) {
  return [...keys].sort(
    (a, b) =>
      Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || b.createdAt - a.createdAt,
  )
}

export function keysRoutes(deps: PortalDeps) {
  const { keys, logger } = deps.services

  const render = async (
    ctx: PortalContext,
    accountId: string,
    extra: Partial<KeysProps>,
    status = 200,
  ) => {
    const props = { ctx, keys: ordered(await keys.listForAccount(accountId)), ...extra }
    if (isFragmentRequest(ctx.request)) return fragment(ctx, <KeysPanel {...props} />, status)
    return page(ctx, { title: ctx.i18n.t('keys.title'), status }, <KeysPage {...props} />)
  }

  return new Elysia({ name: 'portal-keys' })
    .use(portalPlugin(deps))
    .get('/keys', ({ portal, account }) => render(portal, account.id, {}), { signedIn: true })
    .post(
      '/keys',
      async ({ portal, account, body }) => {
        const name = plainName(body.name)
        if (!name) return render(portal, account.id, { error: 'keys.nameRequired' }, 400)
        const { id, key } = await keys.create(account.id, name)
        logger.info('api_key_created', { accountId: account.id, keyId: id })
        return render(portal, account.id, { created: { name, key } })
      },
      { signedIn: true, body: t.Object({ name: t.String(), _csrf: t.Optional(t.String()) }) },
    )
    .post(
      '/keys/:id/revoke',
      async ({ portal, account, params }) => {
        const revoked = await keys.revoke(params.id, account.id)
        if (!revoked) return errorPage(portal, 404)
        logger.info('api_key_revoked', { accountId: account.id, keyId: params.id })
        if (!isFragmentRequest(portal.request)) return redirect(portal, '/keys')
        const row = (await keys.listForAccount(account.id)).find((key) => key.id === params.id)
        return row ? fragment(portal, <KeyRow ctx={portal} apiKey={row} />) : errorPage(portal, 404)
      },
      { signedIn: true },
    )
}
