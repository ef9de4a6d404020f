import type { PortalContext } from '../../src/portal/context'
import { languages, type MessageKey } from '../../src/portal/i18n'
import { CsrfField, FormMessage } from '../components/forms'

export interface SettingsProps {
  ctx: PortalContext
  name: string
  /** One message per bad field. */
  errors?: MessageKey[]
  saved?: boolean
}

/** Language and display name; saving the language also switches the page to it. */
export function SettingsPage({ ctx, name, errors = [], saved }: SettingsProps) {
  const { t } = ctx.i18n
  return (
    <>
      <h1 safe>{t('settings.title')}</h1>
      <form class="card" method="post" action="/settings">
        {errors.map((error) => (
          <FormMessage text={t(error)} kind="error" />
        ))}
        <FormMessage text={saved ? t('settings.saved') : undefined} kind="notice" />
        <CsrfField ctx={ctx} />
        <label for="settings-lang" safe>
          {t('settings.language')}
        </label>
        <select id="settings-lang" name="lang" aria-describedby="settings-lang-help">
          {languages.map((lang) => (
            <option value={lang} selected={ctx.lang === lang} lang={lang} safe>
              {t(`lang.${lang}`)}
            </option>
          ))}
        </select>
        <p id="settings-lang-help" class="muted" safe>
          {t('settings.languageHelp')}
        </p>
        <label for="settings-name" safe>
          {t('settings.displayName')}
        </label>
        <input
          id="settings-name"
          name="name"
          value={name}
          required
          maxlength="60"
          aria-describedby="settings-name-help"
        />
        <p id="settings-name-help" class="muted" safe>
          {t('settings.displayNameHelp')}
        </p>
        <button type="submit" safe>
          {t('common.save')}
        </button>
      </form>
    </>
  )
}
