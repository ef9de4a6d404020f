import type { PortalContext } from '../src/portal/context'
import { assetUrl } from '../src/portal/assets'
import { Nav } from './components/nav'
import { AssistantPanelToggle } from './assistant/panel-toggle'

export interface LayoutProps {
  ctx: PortalContext
  title: string
  children: JSX.Element
}

// htmx must not inject its own <style> (the CSP forbids it); app.css has the indicator rules.
const htmxConfig = JSON.stringify({ includeIndicatorCSS: false })

/** The whole page around a page's content: head, header with navigation, footer. */
export function Layout({ ctx, title, children }: LayoutProps) {
  const { t } = ctx.i18n
  const headers = JSON.stringify({ 'X-CSRF-Token': ctx.csrfToken })
  return (
    <>
      {'<!doctype html>'}
      <html lang={ctx.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{`${title} · ${t('common.appName')}`}</title>
          <meta name="htmx-config" content={htmxConfig} />
          <link rel="stylesheet" href={assetUrl('app.css')} />
          <script src={assetUrl('vendor/htmx-4.0.1.min.js')} defer></script>
          <script src={assetUrl('vendor/htmx-ext-sse-4.0.1.min.js')} defer></script>
          <script src={assetUrl('app.js')} defer></script>
        </head>
        <body {...{ 'hx-headers:inherited': headers }}>
          <a class="skip" href="#content" safe>
            {t('common.skipToContent')}
          </a>
          <Nav ctx={ctx} />
          <main id="content">
            {ctx.demo ? <DemoBanner ctx={ctx} /> : ''}
            {children}
          </main>
          <AssistantPanelToggle ctx={ctx} />
          <footer safe>{t('common.footer')}</footer>
        </body>
      </html>
    </>
  )
}

function DemoBanner({ ctx }: { ctx: PortalContext }) {
  return (
    <p class="banner" role="status" safe>
      {ctx.i18n.t('common.demoBanner')}
    </p>
  )
}
