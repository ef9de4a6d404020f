import { Elysia, t } from 'elysia'
import { UsagePage, UsageTotalsCard, type UsageForm } from '../../../views/pages/usage'
import type { PortalContext, PortalDeps } from '../context'
import { errorPage } from '../error-page'
import { portalPlugin } from '../plugin'
import { page } from '../render'
import { usageCsv } from '../queries/usage-csv'
import {
  dayBoundary,
  decodeCursor,
  encodeCursor,
  usagePage,
  type UsageFilters,
} from '../queries/usage-page'
import { securityHeaders } from '../security-headers'

const PAGE_SIZE = 50

const usageQuery = t.Object({
  key: t.Optional(t.String({ maxLength: 64 })),
  model: t.Optional(t.String({ maxLength: 200 })),
  from: t.Optional(t.String({ maxLength: 10 })),
  to: t.Optional(t.String({ maxLength: 10 })),
  before: t.Optional(t.String({ maxLength: 100 })),
})

type RawQuery = typeof usageQuery.static

function formOf(query: RawQuery): UsageForm {
  return {
    key: query.key ?? '',
    model: query.model?.trim() ?? '',
    from: query.from ?? '',
    to: query.to ?? '',
  }
}

/** The filters again as a query string: for the CSV link and the pager. */
function queryString(form: UsageForm) {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(form)) if (value) params.set(name, value)
  return params.toString()
}

export function usageRoutes(deps: PortalDeps) {
  const { db, keys, clock } = deps.services

  /** The filters, or undefined when the key is not one of this account's: that is a 404. */
  const filtersFor = async (accountId: string, form: UsageForm) => {
    const owned = await keys.listForAccount(accountId)
    if (form.key && !owned.some((key) => key.id === form.key)) return undefined
    const filters: UsageFilters = {
      accountId,
      keyId: form.key || undefined,
      model: form.model || undefined,
      from: dayBoundary(form.from),
      to: dayBoundary(form.to, true),
    }
    return { filters, owned }
  }

  const render = async (ctx: PortalContext, accountId: string, query: RawQuery) => {
    const form = formOf(query)
    const found = await filtersFor(accountId, form)
    if (!found) return errorPage(ctx, 404)
    const cursor = decodeCursor(query.before)
    const { rows, next } = await usagePage(db, found.filters, cursor, PAGE_SIZE)
    const props = {
      ctx,
      form,
      keys: found.owned,
      rows,
      filterQuery: queryString(form),
      nextCursor: next ? encodeCursor(next) : undefined,
      isFirstPage: cursor === undefined,
    }
    return page(ctx, { title: ctx.i18n.t('usage.title') }, <UsagePage {...props} />)
  }

  return new Elysia({ name: 'portal-usage' })
    .use(portalPlugin(deps))
    .get('/usage', ({ portal, account, query }) => render(portal, account.id, query), {
      signedIn: true,
      query: usageQuery,
    })
    .get(
      '/usage/totals',
      async ({ portal, account, query }) => {
        const form = formOf(query)
        const found = await filtersFor(account.id, form)
        if (!found) return errorPage(portal, 404)
        const totals = await deps.usageTotals.totals(found.filters, clock.now())
        const card = (
          <UsageTotalsCard ctx={portal} totals={totals} filterQuery={queryString(form)} />
        )
        return page(portal, { title: portal.i18n.t('usage.totals') }, card)
      },
      { signedIn: true, query: usageQuery },
    )
    .get(
      '/usage.csv',
      async ({ portal, account, query, request }) => {
        const found = await filtersFor(account.id, formOf(query))
        if (!found) return errorPage(portal, 404)
        return new Response(usageCsv(db, found.filters, request.signal), {
          headers: {
            ...securityHeaders,
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': 'attachment; filename="sargalay-usage.csv"',
            'cache-control': 'no-store',
          },
        })
      },
      { signedIn: true, query: usageQuery },
    )
}
