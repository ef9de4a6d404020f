import { Elysia } from 'elysia'
import { conflict, invalidRequest, notFound } from '../http/api-error'
import { newId } from '../lib/ids'
import { plainName } from '../lib/plain-name'
import { exceedsAnyBalance, MAX_BALANCE_UNITS, mmkToUnits, unitsToMmk } from '../ledger/money'
import { listUsage } from '../ledger/usage-queries'
import type { Services } from '../services'
import { adjustOnce } from './adjustments'
import { adminGuard } from './guard'
import * as s from './schemas'

const detail = (summary: string) => ({ summary, tags: ['admin'], security: [{ adminKey: [] }] })

/** The JSON admin API of DESIGN.md; every route needs the admin key or an admin's session. */
export function adminRoutes(services: Services) {
  const { accounts, ledger, keys, pricing, db } = services

  const requireUser = async (id: string) => {
    const account = await accounts.get(id)
    if (!account) throw notFound(`No user with id ${id}.`, 'user_not_found', 'id')
    return account
  }

  return new Elysia({ name: 'admin', prefix: '/admin' })
    .use(adminGuard(services))
    .post(
      '/users',
      async ({ body, set }) => {
        const name = adminName(body.name)
        const account = await accounts.create({ name, email: body.email })
        set.status = 201
        return { id: account.id, name: account.name, email: account.email, balance_mmk: 0 }
      },
      { body: s.newUser, response: { 201: s.user, ...s.errors }, detail: detail('Create a user') },
    )
    .get(
      '/users/:id',
      async ({ params }) => {
        const account = await requireUser(params.id)
        const funds = ledger.fundsOf(account.id)
        return {
          id: account.id,
          name: account.name,
          email: account.email,
          balance_mmk: unitsToMmk(funds.balanceUnits),
          held_mmk: unitsToMmk(funds.heldUnits),
        }
      },
      {
        params: s.userId,
        response: { 200: s.userWithHolds, ...s.errors },
        detail: detail('Read a user'),
      },
    )
    .post(
      '/users/:id/credits',
      async ({ params, body, request }) => {
        const account = await requireUser(params.id)
        const amountUnits = parseAmount(body.amount_mmk, 'amount_mmk')
        const outcome = await adjustOnce(ledger, {
          accountId: account.id,
          amountUnits,
          reason: 'adjustment',
          reference: creditReference(request.headers.get('idempotency-key')),
          note: body.reason,
        })
        if (outcome.kind === 'conflict') {
          throw conflict(
            'This Idempotency-Key was used for another credit (another user, amount or ' +
              'reason); nothing changed. Use a new key for a new credit.',
            'idempotency_conflict',
          )
        }
        return { balance_mmk: unitsToMmk(outcome.balanceUnits) }
      },
      {
        params: s.userId,
        body: s.creditBody,
        response: { 200: s.balance, ...s.errors, 409: s.adminError },
        detail: {
          ...detail('Credit or debit a user (negative amount: a debit adjustment)'),
          description:
            'An Idempotency-Key header makes a retry of the same credit answer the first ' +
            'balance without crediting again; the key reused for another user, amount or ' +
            'reason gets 409 idempotency_conflict.',
        },
      },
    )
    .post(
      '/users/:id/keys',
      async ({ params, body, set }) => {
        const account = await requireUser(params.id)
        const created = await keys.create(account.id, adminName(body.name))
        set.status = 201
        return { id: created.id, key: created.key }
      },
      {
        params: s.userId,
        body: s.newKey,
        response: { 201: s.createdKey, ...s.errors },
        detail: detail('Create an API key; the only time the key is shown'),
      },
    )
    .delete(
      '/keys/:id',
      async ({ params, set }) => {
        if (!(await keys.revoke(params.id)))
          throw notFound(`No live key with id ${params.id}.`, 'key_not_found', 'id')
        set.status = 204
      },
      {
        params: s.userId,
        response: { 204: s.nothing, ...s.errors },
        detail: detail('Revoke an API key'),
      },
    )
    .patch(
      '/keys/:id',
      async ({ params, body }) => {
        const caps = await keyCaps(keys, params.id, body)
        return { id: params.id, ...caps }
      },
      {
        params: s.userId,
        body: s.keyCaps,
        response: { 200: s.keyCapsAnswer, ...s.errors },
        detail: detail("Set or remove a key's daily and monthly spend caps"),
      },
    )
    .get(
      '/users/:id/usage',
      async ({ params, query }) => {
        const account = await requireUser(params.id)
        const rows = await listUsage(db, { accountId: account.id, limit: query.limit ?? 50 })
        return {
          data: rows.map((row) => ({
            id: row.id,
            model: row.model,
            prompt_tokens: row.promptTokens,
            completion_tokens: row.completionTokens,
            charged_mmk: unitsToMmk(row.chargedUnits),
            status: row.status,
            created_at: new Date(row.createdAt).toISOString(),
          })),
        }
      },
      {
        params: s.userId,
        query: s.usageQuery,
        response: { 200: s.usageList, ...s.errors },
        detail: detail("A user's usage records, newest first"),
      },
    )
    .get('/settings', () => settingsBody(pricing.current()), {
      response: { 200: s.settings, 401: s.adminError },
      detail: detail('The pricing settings in force'),
    })
    .patch(
      '/settings',
      async ({ body }) => {
        const next = await pricing.update({
          usdToMmkRate: body.usd_to_mmk_rate,
          priceMarkup: body.price_markup,
        })
        return settingsBody(next)
      },
      {
        body: s.settingsPatch,
        response: { 200: s.settings, ...s.errors },
        detail: detail('Change the rate or markup; every price follows at once'),
      },
    )
}

async function keyCaps(
  keys: Services['keys'],
  id: string,
  body: { daily_cap_mmk?: number | null; monthly_cap_mmk?: number | null },
) {
  const current = keys.capsOf(id)
  if (!current) throw notFound(`No live key with id ${id}.`, 'key_not_found', 'id')
  const units = (mmk: number | null | undefined, fallback: number | null, param: string) =>
    mmk === undefined ? fallback : mmk === null ? null : parseAmount(mmk, param)
  const caps = {
    dailyCapUnits: units(body.daily_cap_mmk, current.dailyCapUnits, 'daily_cap_mmk'),
    monthlyCapUnits: units(body.monthly_cap_mmk, current.monthlyCapUnits, 'monthly_cap_mmk'),
  }
  if (!(await keys.setCaps(id, caps)))
    throw notFound(`No live key with id ${id}.`, 'key_not_found', 'id')
  const mmk = (value: number | null) => (value === null ? null : unitsToMmk(value))
  return { daily_cap_mmk: mmk(caps.dailyCapUnits), monthly_cap_mmk: mmk(caps.monthlyCapUnits) }
}

function parseAmount(mmk: number, param: string): number {
  if (exceedsAnyBalance(mmk)) {
    const most = unitsToMmk(MAX_BALANCE_UNITS)
    throw invalidRequest(`${param} is too large: at most ${most} MMK either way.`, param)
  }
  let units: number
  try {
    units = mmkToUnits(mmk)
  } catch (error) {
    throw invalidRequest(`${param} ${(error as Error).message}.`, param)
  }
  if (units === 0) throw invalidRequest(`${param} must not be zero.`, param)
  return units
}

function adminName(raw: string): string {
  const name = plainName(raw, 100)
  if (!name) throw invalidRequest('name must have 1-100 visible characters.', 'name')
  return name
}

const idempotencyKeyPattern = /^[A-Za-z0-9._:-]{1,100}$/

/**
 * The ledger reference of a credit. One key names one credit whatever the user, so a key
 * reused for another user is caught as a conflict rather than crediting twice.
 */
function creditReference(idempotencyKey: string | null): string {
  if (idempotencyKey === null) return newId('adm')
  if (!idempotencyKeyPattern.test(idempotencyKey)) {
    throw invalidRequest('Idempotency-Key must be 1-100 characters of [A-Za-z0-9._:-].')
  }
  return `admin-credit:${idempotencyKey}`
}

function settingsBody(factors: { usdToMmkRate: number; priceMarkup: number }) {
  return { usd_to_mmk_rate: factors.usdToMmkRate, price_markup: factors.priceMarkup }
}
