import type { PortalContext } from '../../src/portal/context'

/**
 * The assistant, one click away on every page for a signed-in account: a closed panel whose
 * chat is fetched only when it is first opened, so pages stay light.
 */
export function AssistantPanelToggle({ ctx }: { ctx: PortalContext }) {
  const onAssistantPage = ctx.path.split('?')[0] === '/assistant'
  if (!ctx.account || onAssistantPage) return <></>
  return (
    <details
      class="card"
      id="assistant-panel-box"
      hx-get="/assistant/panel"
      hx-trigger="toggle once"
      hx-target="#assistant-panel-body"
      hx-swap="innerHTML"
    >
      <summary safe>{ctx.i18n.t('assistant.panelTitle')}</summary>
      <div id="assistant-panel-body"></div>
    </details>
  )
}
