import { Elysia, t } from 'elysia'
import { addressLimitPage } from '../../http/address-limit'
import { LedgerError } from '../../ledger/errors'
import { exceedsAnyBalance, MAX_BALANCE_UNITS, mmkToUnits } from '../../ledger/money'
import { constantTimeEqual } from '../../lib/crypto'
import { newId } from '../../lib/ids'
import { adjustOnce, type AdjustmentOutcome } from '../../admin/adjustments'
import { ConsolePage, type ConsoleProps } from '../../../views/pages/admin-console'
import { AdminSignInPage, UserPage, type UserProps } from '../../../views/pages/admin-user'
import { serializeCookie } from '../cookies'
import { portalContext, SESSION_COOKIE, type PortalContext, type PortalDeps } from '../context'
import { errorPage } from '../error-page'
import { portalPlugin } from '../plugin'
import { countAccounts, latestEntries, searchAccounts } from '../queries/admin'
import { page, redirect } from '../render'

/**
 * Admin pages under /console (the JSON admin API owns /admin). Open to admin accounts and to a
 * browser that proved the admin key; every money change goes through the ledger.
 */
export function adminPages(deps: PortalDeps) {
  const { services, sessions } = deps
  const { accounts, ledger, pricing, db, config, logger } = services
  const signInLimit = addressLimitPage(
    {
      what: 'admin sign-in attempts',
      perMinute: config.SIGNIN_PER_MINUTE_PER_ADDRESS,
      config,
      clock: services.clock,
    },
    async (request) => errorPage(await portalContext(deps, request), 429),
  )

  const systemStatus = async () => ({
    database: await db.ping().catch(() => false),
    ledgerWrites: services.journal.healthy,
    demo: services.upstream.demo,
    catalog: services.catalog.status(),
    openHolds: ledger.openHolds().length,
    accounts: await countAccounts(db),
    liveKeys: services.keys.size,
  })

  const consolePage = async (
    ctx: PortalContext,
    q: string,
    extra: Partial<ConsoleProps> = {},
    status = 200,
  ) => {
    const found = await searchAccounts(db, q)
    const users = found.map((account) => ({
      account,
      balanceUnits: ledger.has(account.id)
        ? ledger.fundsOf(account.id).balanceUnits
        : account.balanceUnits,
    }))
    const props = {
      ctx,
      q,
      users,
      factors: pricing.current(),
      status: await systemStatus(),
      ...extra,
    }
    return page(ctx, { title: ctx.i18n.t('admin.title'), status }, <ConsolePage {...props} />)
  }

  const userPage = async (
    ctx: PortalContext,
    id: string,
    extra: Partial<UserProps> = {},
    status = 200,
  ) => {
    const account = await accounts.get(id)
    if (!account) return errorPage(ctx, 404)
    const entries = await latestEntries(db, id)
    const props = {
      ctx,
      account,
      funds: ledger.fundsOf(id),
      entries,
      reference: newId('adj'),
      ...extra,
    }
    return page(ctx, { title: account.name, status }, <UserPage {...props} />)
  }

  const adjustmentAnswer = (
    ctx: PortalContext,
    id: string,
    outcome: AdjustmentOutcome,
    form: { amount: string; reason: string },
  ) => {
    if (outcome.kind === 'conflict') {
      const message = { key: 'admin.adjustReused', kind: 'error' } as const
      return userPage(ctx, id, { form, message }, 409)
    }
    if (outcome.kind === 'repeated') {
      return userPage(ctx, id, { message: { key: 'admin.adjustRepeated', kind: 'notice' } })
    }
    const amount = ctx.i18n.mmk(outcome.balanceUnits, 4)
    return userPage(ctx, id, { message: { key: 'admin.adjusted', kind: 'notice', amount } })
  }

  return new Elysia({ name: 'portal-admin' })
    .use(portalPlugin(deps))
    .get('/console/signin', ({ portal }) =>
      portal.isAdmin
        ? redirect(portal, '/console')
        : page(
            portal,
            { title: portal.i18n.t('admin.adminKeyTitle') },
            <AdminSignInPage ctx={portal} />,
          ),
    )
    .post(
      '/console/signin',
      async ({ portal, body }) => {
        if (!constantTimeEqual(body.key, config.ADMIN_KEY)) {
          logger.warn('admin_key_sign_in_refused', {})
          const form = <AdminSignInPage ctx={portal} error="admin.adminKeyWrong" />
          return page(portal, { title: portal.i18n.t('admin.adminKeyTitle'), status: 400 }, form)
        }
        const token = await sessions.issue({ kind: 'admin-key' })
        const cookie = { maxAgeSeconds: config.SESSION_TTL_SECONDS, secure: portal.secure }
        portal.cookies.push(serializeCookie(SESSION_COOKIE, token, cookie))
        return redirect(portal, '/console')
      },
      {
        beforeHandle: signInLimit,
        body: t.Object({ key: t.String({ maxLength: 500 }), _csrf: t.String() }),
      },
    )
    .get('/console', ({ portal, query }) => consolePage(portal, query.q ?? ''), {
      admin: true,
      query: t.Object({ q: t.Optional(t.String({ maxLength: 200 })) }),
    })
    .get('/console/users/:id', ({ portal, params }) => userPage(portal, params.id), { admin: true })
    .post(
      '/console/users/:id/adjust',
      async ({ portal, params, body }) => {
        const account = await accounts.get(params.id)
        if (!account) return errorPage(portal, 404)
        const form = { amount: body.amount, reason: body.reason }
        const reason = body.reason.trim()
        if (reason.length < 3 || reason.length > 200) {
          return userPage(
            portal,
            account.id,
            { form, message: { key: 'admin.reasonRequired', kind: 'error' } },
            400,
          )
        }
        const amountUnits = unitsOf(body.amount)
        if (typeof amountUnits !== 'number') {
          const message =
            amountUnits === 'too large'
              ? tooLarge(portal)
              : ({ key: 'admin.amountInvalid', kind: 'error' } as const)
          return userPage(portal, account.id, { form, message }, 400)
        }
        try {
          const outcome = await adjustOnce(ledger, {
            accountId: account.id,
            amountUnits,
            reason: 'adjustment',
            reference: `portal-admin:${body.reference}`,
            note: reason,
          })
          logger.info('admin_adjustment', {
            accountId: account.id,
            amountUnits,
            outcome: outcome.kind,
          })
          return adjustmentAnswer(portal, account.id, outcome, form)
        } catch (error) {
          if (!(error instanceof LedgerError)) throw error
          const key =
            error.code === 'insufficient_funds' ? 'admin.insufficient' : 'admin.amountInvalid'
          return userPage(portal, account.id, { form, message: { key, kind: 'error' } }, 400)
        }
      },
      {
        admin: true,
        body: t.Object({
          amount: t.String({ maxLength: 40 }),
          reason: t.String({ maxLength: 400 }),
          reference: t.String({ pattern: '^adj_[a-z0-9]{10,40}$' }),
          _csrf: t.String(),
        }),
      },
    )
    .post(
      '/console/pricing',
      async ({ portal, body }) => {
        const rate = Number(body.rate)
        const markup = Number(body.markup)
        if (!(rate > 0 && rate <= 1_000_000) || !(markup >= 1 && markup <= 100)) {
          const pricingMessage = { key: 'admin.pricingInvalid', kind: 'error' } as const
          return consolePage(portal, '', { pricingMessage }, 400)
        }
        await pricing.update({ usdToMmkRate: rate, priceMarkup: markup })
        logger.info('pricing_changed', { usdToMmkRate: rate, priceMarkup: markup })
        return consolePage(portal, '', {
          pricingMessage: { key: 'admin.pricingSaved', kind: 'notice' },
        })
      },
      { admin: true, body: t.Object({ rate: t.String(), markup: t.String(), _csrf: t.String() }) },
    )
}

/**
 * Kyat typed by a person ("5000", "-1500.25") as ledger units: undefined when not a usable
 * amount, 'too large' beyond what any balance can hold (which mmkToUnits would also refuse
 * for the very largest, by throwing).
 */
function unitsOf(text: string): number | 'too large' | undefined {
  if (!/^\s*-?\d+(\.\d{1,4})?\s*$/.test(text)) return undefined
  const mmk = Number(text)
  if (exceedsAnyBalance(mmk)) return 'too large'
  const units = mmkToUnits(mmk)
  return units === 0 ? undefined : units
}

function tooLarge(ctx: PortalContext) {
  const amount = ctx.i18n.mmk(MAX_BALANCE_UNITS)
  return { key: 'admin.amountTooLarge', kind: 'error', amount } as const
}
