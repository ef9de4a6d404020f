import { Elysia, t } from 'elysia'
import { TopupAdminPage } from '../../views/topup/admin'
import { ApiError } from '../http/api-error'
import type { PortalContext, PortalDeps } from '../portal/context'
import { errorPage } from '../portal/error-page'
import { formMessage, type FormMessages } from '../portal/forms'
import { portalPlugin } from '../portal/plugin'
import { page } from '../portal/render'

const orderParams = t.Object({ id: t.String({ maxLength: 64 }) })

/** Why a manual credit was refused, in the admin's language. */
const refusals: FormMessages = {
  fields: {},
  codes: {
    already_paid: 'topup.admin.alreadyPaid',
    not_in_review: 'topup.admin.notInReview',
    already_credited: 'topup.admin.alreadyCredited',
  },
}

/** The admin console's top-up page: the review queue, manual credits, recent orders. */
export function topupAdminPages(deps: PortalDeps) {
  const { payments } = deps.services

  const render = async (
    ctx: PortalContext,
    messages: { notice?: string; error?: string } = {},
    status = 200,
  ) => {
    const [queue, recent] = await Promise.all([
      payments.review.queue(),
      payments.orders.listRecent(50),
    ])
    const title = ctx.i18n.t('topup.admin.title')
    return page(
      ctx,
      { title, status },
      <TopupAdminPage ctx={ctx} queue={queue} recent={recent} {...messages} />,
    )
  }

  const adminId = (ctx: PortalContext) => ctx.account?.id ?? 'admin-key'

  return new Elysia({ name: 'topup-admin-pages' })
    .use(portalPlugin(deps))
    .get('/console/topups', ({ portal }) => render(portal), { admin: true })
    .post(
      '/console/topups/:id/credit',
      async ({ portal, params, body }) => {
        const amount = /^\d{1,9}$/.test(body.amount_mmk.trim()) ? Number(body.amount_mmk) : 0
        const note = body.note.trim().slice(0, 200)
        if (amount < 1 || amount > payments.limits.maxMmk || !note) {
          return render(portal, { error: portal.i18n.t('errors.badRequest') }, 400)
        }
        try {
          const result = await payments.review.manualCredit(
            params.id,
            amount,
            note,
            adminId(portal),
          )
          const balance = portal.i18n.mmk(result.balanceUnits)
          return render(portal, {
            notice: portal.i18n.t('topup.admin.credited', { amount: balance }),
          })
        } catch (error) {
          if (!(error instanceof ApiError)) throw error
          if (error.status === 404) return errorPage(portal, 404)
          const message = formMessage(error, refusals) ?? 'topup.admin.alreadyCredited'
          return render(portal, { error: portal.i18n.t(message) }, 409)
        }
      },
      {
        admin: true,
        params: orderParams,
        body: t.Object({ amount_mmk: t.String(), note: t.String(), _csrf: t.Optional(t.String()) }),
      },
    )
    .post(
      '/console/topups/:id/resolve',
      async ({ portal, params }) => {
        if (!(await payments.orders.get(params.id))) return errorPage(portal, 404)
        await payments.review.resolve(params.id, adminId(portal))
        return render(portal)
      },
      { admin: true, params: orderParams },
    )
}
