import { Elysia, t } from 'elysia'
import { randomBytes } from 'node:crypto'
import { ClosedOrder, OrderPage } from '../../views/topup/order'
import { TopupPage, type TopupPageProps } from '../../views/topup/page'
import { OrderStatus } from '../../views/topup/status'
import type { AddressContext } from '../http/address-limit'
import { ApiError } from '../http/api-error'
import type { PortalContext, PortalDeps } from '../portal/context'
import { errorPage } from '../portal/error-page'
import { formMessage, type FormMessages } from '../portal/forms'
import type { MessageKey } from '../portal/i18n'
import { portalPlugin } from '../portal/plugin'
import { fragment, isHtmx, page, redirect } from '../portal/render'
import { qrSvg } from './qr-image'
import { payWithSandboxWallet } from './sandbox-wallet'
import { isPayable } from './states'
import type { TopupLimit } from './topup-limit'
import { wallets, type Wallet } from './types'

const form = t.Object({
  preset: t.Optional(t.String()),
  custom: t.Optional(t.String()),
  idempotency_key: t.Optional(t.String()),
  _csrf: t.Optional(t.String()),
})

/** A custom amount wins over a preset; anything but whole kyat digits is no amount. */
function chosenAmount(body: { preset?: string; custom?: string }): number | undefined {
  const text = body.custom?.trim() || body.preset?.trim() || ''
  return /^\d{1,9}$/.test(text) ? Number(text) : undefined
}

const messages: FormMessages = {
  fields: { amount_mmk: 'topup.invalidAmount', idempotency_key: 'topup.invalidKey' },
  codes: {
    idempotency_conflict: 'topup.keyReused',
    payment_provider_unavailable: 'topup.providerDown',
  },
}

/** The translated 429 page, with the Retry-After the limit asked for. */
async function tooManyPage(ctx: PortalContext, error: ApiError) {
  const answer = await errorPage(ctx, 429)
  for (const [name, value] of Object.entries(error.headers)) answer.headers.set(name, value)
  return answer
}

/** The user's top-up pages: choose an amount, pay the QR, watch it turn to paid. */
export function topupPages(deps: PortalDeps, limit: TopupLimit) {
  const { payments, ledger, clock } = deps.services

  const formPage = async (
    ctx: PortalContext,
    accountId: string,
    error?: MessageKey,
    status = 200,
  ) => {
    const props: TopupPageProps = {
      ctx,
      balanceUnits: ledger.fundsOf(accountId).balanceUnits,
      history: await payments.orders.listForAccount(accountId),
      limits: payments.limits,
      idempotencyKey: randomBytes(12).toString('base64url'),
      error,
    }
    return page(ctx, { title: ctx.i18n.t('topup.title'), status }, <TopupPage {...props} />)
  }

  /** Only the owner's orders exist for a user: another account's id reads as not found. */
  const ownOrder = async (accountId: string, id: string) => {
    const order = await payments.orders.get(id)
    return order?.accountId === accountId ? order : undefined
  }

  const statusFragment = async (ctx: PortalContext, accountId: string, id: string) => {
    const order = await ownOrder(accountId, id)
    if (!order) return errorPage(ctx, 404)
    const balanceUnits = ledger.fundsOf(accountId).balanceUnits
    const now = clock.now()
    return fragment(
      ctx,
      <>
        <OrderStatus ctx={ctx} order={order} balanceUnits={balanceUnits} now={now} />
        {isPayable(order, now) ? '' : <ClosedOrder ctx={ctx} order={order} swap />}
      </>,
    )
  }

  const createOrder = async (
    ctx: PortalContext,
    accountId: string,
    body: typeof form.static,
    client: AddressContext,
  ) => {
    const amountMmk = chosenAmount(body)
    if (amountMmk === undefined) return formPage(ctx, accountId, 'topup.invalidAmount', 400)
    try {
      const order = await payments.topups.create({
        accountId,
        amountMmk,
        idempotencyKey:
          client.request.headers.get('idempotency-key') || body.idempotency_key || undefined,
        admission: limit(client),
      })
      return redirect(ctx, `/topup/${order.id}`)
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      if (error.status === 429) return tooManyPage(ctx, error)
      const message = formMessage(error, messages)
      if (!message) throw error
      return formPage(ctx, accountId, message, error.status)
    }
  }

  return new Elysia({ name: 'topup-pages' })
    .use(portalPlugin(deps))
    .get('/topup', ({ portal, account }) => formPage(portal, account.id), { signedIn: true })
    .post(
      '/topup',
      ({ portal, account, body, request, server }) =>
        createOrder(portal, account.id, body, { request, server }),
      { signedIn: true, body: form },
    )
    .get(
      '/topup/:id',
      async ({ portal, account, params }) => {
        const order = await ownOrder(account.id, params.id)
        if (!order) return errorPage(portal, 404)
        const now = clock.now()
        const props = {
          ctx: portal,
          order,
          qrSvg: isPayable(order, now) ? await qrSvg(order.qrPayload!) : undefined,
          balanceUnits: ledger.fundsOf(account.id).balanceUnits,
          now,
          sandbox: payments.sandboxWallet !== undefined,
        }
        const title = portal.i18n.t('topup.title')
        return page(portal, { title }, <OrderPage {...props} />)
      },
      { signedIn: true },
    )
    .get(
      '/topup/:id/status',
      ({ portal, account, params }) => statusFragment(portal, account.id, params.id),
      {
        signedIn: true,
      },
    )
    .post(
      '/topup/:id/sandbox-pay',
      async ({ portal, account, params, body }) => {
        const order = await ownOrder(account.id, params.id)
        const sandbox = payments.sandboxWallet
        if (!order || !sandbox || !order.qrPayload) return errorPage(portal, 404)
        if (!(wallets as readonly string[]).includes(body.wallet)) return errorPage(portal, 400)

        // A second click on a paid order is refused by the simulator; the status tells the rest.
        await payWithSandboxWallet(sandbox, order.qrPayload, body.wallet as Wallet)
        if (!isHtmx(portal.request)) return redirect(portal, `/topup/${order.id}`)
        return statusFragment(portal, account.id, order.id)
      },
      { signedIn: true, body: t.Object({ wallet: t.String(), _csrf: t.Optional(t.String()) }) },
    )
}
