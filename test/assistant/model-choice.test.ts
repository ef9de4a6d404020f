import { describe, expect, test } from 'bun:test'
import { checkMessages } from '../../src/assistant/limits'
import { chooseAssistantModel } from '../../src/assistant/model'
import { AssistantRateLimiter } from '../../src/assistant/rate-limit'
import { isAssistantRequest } from '../../src/assistant/schema'
import { ManualClock } from '../../src/lib/clock'
import { testConfig } from '../support/app'

const realUpstream = { baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'up-key', demo: false }
const demoUpstream = { baseUrl: 'http://127.0.0.1:9/v1', demo: true }

function chosen(env: Record<string, string>, upstream: typeof realUpstream | typeof demoUpstream) {
  const choice = chooseAssistantModel(testConfig(env), upstream)
  if (choice.mode === 'unavailable') return { mode: choice.mode }
  const model = choice.model as { provider: string; modelId: string }
  return { mode: choice.mode, provider: model.provider, modelId: model.modelId }
}

describe('which model the assistant uses', () => {
  test('Gemini when its key is configured, with the configured model id', () => {
    const env = { GOOGLE_GENERATIVE_AI_API_KEY: 'g-key', ASSISTANT_MODEL: 'gemini-2.5-pro' }

    expect(chosen(env, realUpstream)).toEqual({
      mode: 'gemini',
      provider: 'google.generative-ai',
      modelId: 'gemini-2.5-pro',
    })
  })

  test('without a Gemini key, the real upstream with the fallback model', () => {
    const env = { ASSISTANT_FALLBACK_MODEL: 'openai/gpt-4o-mini' }

    expect(chosen(env, realUpstream)).toEqual({
      mode: 'upstream',
      provider: 'sargalay-upstream.chat',
      modelId: 'openai/gpt-4o-mini',
    })
  })

  test('unavailable with neither a Gemini key nor a real upstream', () => {
    expect(chosen({}, demoUpstream)).toEqual({ mode: 'unavailable' })
    expect(chosen({}, { ...realUpstream, apiKey: '' })).toEqual({ mode: 'unavailable' })
  })
})

describe('limits in code', () => {
  test('refuses too many, empty and too long messages', () => {
    expect(checkMessages(['a'.repeat(500)])).toBeUndefined()
    expect(checkMessages(['က'.repeat(500)])).toBeUndefined()
    expect(checkMessages(Array(11).fill('hi'))).toBe('too_many_messages')
    expect(checkMessages(['a'.repeat(501)])).toBe('message_too_long')
    expect(checkMessages(['  '])).toBe('empty_message')
  })

  test('the request schema holds the same bounds', () => {
    expect(isAssistantRequest({ message: 'a'.repeat(500) })).toBe(true)
    expect(isAssistantRequest({ message: Array(10).fill('hi'), chat: 'assistant' })).toBe(true)
    expect(isAssistantRequest({ message: 'a'.repeat(501) })).toBe(false)
    expect(isAssistantRequest({ message: Array(11).fill('hi') })).toBe(false)
    expect(isAssistantRequest({ message: ['ok', 'b'.repeat(501)] })).toBe(false)
    expect(isAssistantRequest({ message: [] })).toBe(false)
    expect(isAssistantRequest({})).toBe(false)
  })

  test('the rate limiter allows the configured requests per minute per account', () => {
    const clock = new ManualClock()
    const limiter = new AssistantRateLimiter(2, clock)

    const first = [limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('b')]
    clock.advance(45_000)
    const later = limiter.take('a')
    clock.advance(15_001)
    const afterWindow = limiter.take('a')

    expect(first).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: false, retryAfterSeconds: 60 },
      { allowed: true },
    ])
    expect(later).toEqual({ allowed: false, retryAfterSeconds: 15 })
    expect(afterWindow).toEqual({ allowed: true })
  })
})
