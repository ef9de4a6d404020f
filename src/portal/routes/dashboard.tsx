import { Elysia } from 'elysia'
import { listUsage } from '../../ledger/usage-queries'
import { DashboardPage } from '../../../views/pages/dashboard'
import type { PortalDeps } from '../context'
import { portalPlugin } from '../plugin'
import { dailySpend } from '../queries/spend'
import { page } from '../render'

export function dashboardRoutes(deps: PortalDeps) {
  const { ledger, db, clock } = deps.services
  return new Elysia({ name: 'portal-dashboard' }).use(portalPlugin(deps)).get(
    '/dashboard',
    async ({ portal, account }) => {
      const [days, recent] = await Promise.all([
        dailySpend(db, account.id, clock.now()),
        listUsage(db, { accountId: account.id, limit: 10 }),
      ])
      const funds = ledger.fundsOf(account.id)
      return page(
        portal,
        { title: portal.i18n.t('dashboard.title') },
        <DashboardPage ctx={portal} funds={funds} days={days} recent={recent} />,
      )
    },
    { signedIn: true },
  )
}
