import type { Lang } from '../portal/i18n'
import { assistantLimits } from './limits'
import type { PlatformFacts } from './knowledge'

export type AssistantLanguage = Lang

// Written in the language the answer must use; models follow an instruction more reliably
// when it is stated in, and about, the target language.
const languageInstruction: Record<AssistantLanguage, string> = {
  en: 'Answer in English.',
  my:
    'မြန်မာဘာသာ (Unicode) ဖြင့်သာ ဖြေပါ။ ' +
    'Answer in Burmese written in Myanmar Unicode, never Zawgyi; ' +
    'keep model ids, code and numbers as they are.',
}

export interface InstructionParts {
  language: AssistantLanguage
  facts: PlatformFacts
  /** The rolling summary of the older part of this conversation; empty when there is none. */
  summary: string
}

/** The system instructions of one turn, assembled from the facts in force and the summary. */
export function assistantInstructions({ language, facts, summary }: InstructionParts): string {
  const sections = [
    'You are the Sargalay assistant. Sargalay is an LLM API gateway for Myanmar developers: one ' +
      'OpenAI-compatible base URL and API key for many models, billed in kyat (MMK).',
    'Help the signed-in user choose models, understand prices, billing and the balance guard, ' +
      'top up with a wallet, and call the API from their programming language.',
    'Use only the platform facts below and the results of the search_models tool. Never invent ' +
      'a model, a price or a rule; say so when you do not know. Prices are always in MMK.',
    `Call search_models to find models; call it at most ${assistantLimits.toolStepsPerTurn} ` +
      'times per answer. Keep answers short and practical; use code blocks for code.',
    `Platform facts (JSON):\n${JSON.stringify(facts)}`,
  ]
  if (summary) sections.push(`Summary of the earlier conversation:\n${summary}`)
  sections.push(languageInstruction[language])
  return sections.join('\n\n')
}

/** The instructions of the summary call that folds older turns into the rolling summary. */
export const summaryInstructions =
  'Fold the conversation below into a short summary (at most 120 words) for the assistant ' +
  'that will continue it: what the user wants, their constraints (budget in MMK, language, ' +
  'modalities, context) and the models or facts already given. Keep it in the language the ' +
  'user writes in. Output only the summary.'
