import { createGoogle } from '@ai-sdk/google'
import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import type { LanguageModel } from 'ai'
import type { Config } from '../config'
import type { UpstreamTarget } from '../services'

export type AssistantMode = 'gemini' | 'upstream' | 'unavailable'

export type AssistantModel =
  { mode: 'gemini' | 'upstream'; modelId: string; model: LanguageModel } | { mode: 'unavailable' }

type ModelConfig = Pick<
  Config,
  'GOOGLE_GENERATIVE_AI_API_KEY' | 'ASSISTANT_MODEL' | 'ASSISTANT_FALLBACK_MODEL'
>

/**
 * Gemini when its key is configured; otherwise the gateway's own upstream when it is a real one
 * (the demo upstream answers with synthetic text, useless as an assistant); otherwise none.
 * Keys are passed explicitly so the SDK never reads the environment behind the config's back.
 */
export function chooseAssistantModel(
  config: ModelConfig,
  upstream: UpstreamTarget,
): AssistantModel {
  if (config.GOOGLE_GENERATIVE_AI_API_KEY) {
    const google = createGoogle({ apiKey: config.GOOGLE_GENERATIVE_AI_API_KEY })
    const modelId = config.ASSISTANT_MODEL
    return { mode: 'gemini', modelId, model: google(modelId) }
  }

  if (!upstream.demo && upstream.apiKey) {
    const gateway = createOpenAICompatible({
      name: 'sargalay-upstream',
      baseURL: upstream.baseUrl,
      apiKey: upstream.apiKey,
      includeUsage: true,
    })
    const modelId = config.ASSISTANT_FALLBACK_MODEL
    return { mode: 'upstream', modelId, model: gateway(modelId) }
  }

  return { mode: 'unavailable' }
}
