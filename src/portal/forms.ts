import type { ApiError } from '../http/api-error'
import type { MessageKey } from './i18n'

/**
 * Form input rules shared by the portal. A rejected value re-renders the same form with a
 * translated message and status 400 (the one validation convention of the portal).
 */

/** An optional form field: empty text counts as absent. */
export function optionalText(raw: unknown): string | undefined {
  return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined
}

/** Which message a form shows for an error from the code behind it. */
export interface FormMessages {
  /** By the field the error names (its `param`), so a bad field is never described as another. */
  fields: Partial<Record<string, MessageKey>>
  /** By the error's `code`, for failures that are about no one field. */
  codes?: Partial<Record<string, MessageKey>>
}

/**
 * The form's message for an error, or undefined when the form has none for it: that error goes
 * on to the generic translated error page rather than borrow another field's message.
 */
export function formMessage(error: ApiError, messages: FormMessages): MessageKey | undefined {
  if (error.param) return messages.fields[error.param]
  return error.code ? messages.codes?.[error.code] : undefined
}
