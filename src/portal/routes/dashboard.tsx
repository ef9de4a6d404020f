import { Elysia } from 'elysia'
import { listUsage } from '../../ledger/usage-queries'
import { DashboardPage, SpendCard } from '../../../views/pages/dashboard'
import type { PortalDeps } from '../context'
import { portalPlugin } from '../plugin'
import { page } from '../render'

export function dashboardRoutes(deps: PortalDeps) {
  const { ledger, db, clock } = deps.services
  return new Elysia({ name: 'portal-dashboard' })
    .use(portalPlugin(deps))
    .get(
      '/dashboard',
      async ({ portal, account }) => {
        const recent = await listUsage(db, { accountId: account.id, limit: 10 })
        const funds = ledger.fundsOf(account.id)
        return page(
          portal,
          { title: portal.i18n.t('dashboard.title') },
          <DashboardPage ctx={portal} funds={funds} recent={recent} />,
        )
      },
      { signedIn: true },
    )
    .get(
      '/dashboard/spend',
      async ({ portal, account }) => {
        const days = await deps.spend.daily(account.id, clock.now())
        return page(
          portal,
          { title: portal.i18n.t('dashboard.spend30') },
          <SpendCard ctx={portal} days={days} />,
        )
      },
      { signedIn: true },
    )
}
