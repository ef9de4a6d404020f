import type { ApiKeyRow } from '../../src/auth/key-index'
import type { PortalContext } from '../../src/portal/context'
import type { MessageKey } from '../../src/portal/i18n'
import { CopyButton, CsrfField, FormMessage } from '../components/forms'

export interface KeysProps {
  ctx: PortalContext
  keys: ApiKeyRow[]
  /** The key just created: shown this once, never again. */
  created?: { name: string; key: string }
  error?: MessageKey
}

export function KeysPage(props: KeysProps) {
  const { t } = props.ctx.i18n
  return (
    <>
      <h1 safe>{t('keys.title')}</h1>
      <p safe>{t('keys.intro')}</p>
      <KeysPanel {...props} />
    </>
  )
}

/** The create form, the new key if any, and the list: what a create swaps in. */
export function KeysPanel({ ctx, keys, created, error }: KeysProps) {
  const { t } = ctx.i18n
  return (
    <div id="keys-panel">
      {created ? <NewKey ctx={ctx} created={created} /> : ''}
      <form
        class="card"
        method="post"
        action="/keys"
        hx-post="/keys"
        hx-target="#keys-panel"
        hx-swap="outerHTML"
      >
        <CsrfField ctx={ctx} />
        <FormMessage text={error ? t(error) : undefined} kind="error" />
        <label for="key-name" safe>
          {t('keys.name')}
        </label>
        <input
          id="key-name"
          name="name"
          required
          maxlength="60"
          placeholder={t('keys.namePlaceholder')}
        />
        <p>
          <button type="submit" safe>
            {t('keys.create')}
          </button>
        </p>
      </form>
      {keys.length > 0 ? <KeyList ctx={ctx} keys={keys} /> : <p safe>{t('keys.empty')}</p>}
    </div>
  )
}

function NewKey({ ctx, created }: { ctx: PortalContext; created: { name: string; key: string } }) {
  const { t } = ctx.i18n
  return (
    <section class="card" id="new-key">
      <h2 safe>{t('keys.created')}</h2>
      <p class="banner" role="alert" safe>
        {t('keys.onlyOnce')}
      </p>
      <p class="muted" translate="no" safe>
        {created.name}
      </p>
      <div class="secret">
        <code id="new-key-value" translate="no" safe>
          {created.key}
        </code>
        <CopyButton ctx={ctx} target="new-key-value" />
      </div>
    </section>
  )
}

function KeyList({ ctx, keys }: { ctx: PortalContext; keys: ApiKeyRow[] }) {
  const { t } = ctx.i18n
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th safe>{t('keys.name')}</th>
            <th safe>{t('keys.prefix')}</th>
            <th safe>{t('keys.createdAt')}</th>
            <th safe>{t('keys.lastUsed')}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <KeyRow ctx={ctx} apiKey={key} />
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** One key's row; revoking swaps in the same row, now marked revoked. */
export function KeyRow({ ctx, apiKey }: { ctx: PortalContext; apiKey: ApiKeyRow }) {
  const { t, dateTime } = ctx.i18n
  return (
    <tr id={`key-${apiKey.id}`}>
      <td translate="no" safe>
        {apiKey.name}
      </td>
      <td class="mono" translate="no" safe>
        {apiKey.prefix}
      </td>
      <td safe>{dateTime(apiKey.createdAt)}</td>
      <td safe>{apiKey.lastUsedAt ? dateTime(apiKey.lastUsedAt) : t('keys.neverUsed')}</td>
      <td>
        {apiKey.revokedAt ? <RevokedMark ctx={ctx} /> : <RevokeForm ctx={ctx} id={apiKey.id} />}
      </td>
    </tr>
  )
}

function RevokedMark({ ctx }: { ctx: PortalContext }) {
  return (
    <span class="muted" safe>
      {ctx.i18n.t('keys.revoked')}
    </span>
  )
}

function RevokeForm({ ctx, id }: { ctx: PortalContext; id: string }) {
  const { t } = ctx.i18n
  const action = `/keys/${id}/revoke`
  return (
    <form
      class="inline"
      method="post"
      action={action}
      hx-post={action}
      hx-confirm={t('keys.revokeConfirm')}
      hx-target={`#key-${id}`}
      hx-swap="outerHTML"
    >
      <CsrfField ctx={ctx} />
      <button class="danger" type="submit" safe>
        {t('keys.revoke')}
      </button>
    </form>
  )
}
