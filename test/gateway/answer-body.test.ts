import { describe, expect, test } from 'bun:test'
import { readAnswer, replaceUsage } from '../../src/gateway/answer-body'
import { stripUpstreamFields } from '../../src/gateway/sanitize'

describe('reading a whole answer', () => {
  test('finds the real usage object, not one quoted in the content', () => {
    const text = JSON.stringify({
      choices: [{ message: { content: 'see ,"usage": {"cost": 9} and {"usage":{}}' } }],
      usage: { prompt_tokens: 3, cost: 0.1 },
    })

    const answer = readAnswer(text)

    expect(answer.kind).toBe('usage')
    if (answer.kind !== 'usage') return
    expect(answer.located.usage).toEqual({ prompt_tokens: 3, cost: 0.1 })
    expect(JSON.parse(replaceUsage(text, answer.located, { cost_mmk: 1 }))).toEqual({
      choices: [{ message: { content: 'see ,"usage": {"cost": 9} and {"usage":{}}' } }],
      usage: { cost_mmk: 1 },
    })
  })

  test('only the outermost usage counts, wherever it is written', () => {
    const nestedOnly = readAnswer('{"choices":[{"usage":{"cost":1}}]}')
    const first = readAnswer('{"usage":{"cost":2}, "choices":[{"usage":{"cost":1}}]}')
    const cut = readAnswer('{"choices":[],"usage":{"cost":2}')

    expect(nestedOnly).toEqual({ kind: 'plain' })
    expect(first.kind).toBe('usage')
    if (first.kind !== 'usage') return
    expect(first.located.usage).toEqual({ cost: 2 })
    expect(JSON.parse(replaceUsage(first.text, first.located, { cost_mmk: 1 }))).toEqual({
      choices: [{ usage: { cost: 1 } }],
      usage: { cost_mmk: 1 },
    })
    expect(cut).toEqual({ kind: 'unreadable' })
  })

  test('tells an error body, an answer without usage and an unreadable one apart', () => {
    const error = readAnswer('{"error":{"code":429,"message":"slow"}}')
    const plain = readAnswer('{"choices":[],"usage":null}')
    const broken = readAnswer('<html>bad gateway</html>')

    expect(error).toEqual({
      kind: 'error',
      info: { status: 429, message: 'slow', errorType: null, retryAfter: null },
    })
    expect(plain).toEqual({ kind: 'plain' })
    expect(broken).toEqual({ kind: 'unreadable' })
  })

  test('upstream-only fields go, however they are written', () => {
    const simple = '{"id":"a","provider":"Azure","user_id":"user_1","model":"m"}'
    const nested = '{"id":"a","provider":{"name":"Azure"},"openrouter_metadata":{"x":1}}'

    expect(stripUpstreamFields(simple)).toBe('{"id":"a","model":"m"}')
    expect(stripUpstreamFields(nested)).toBe('{"id":"a"}')
  })
})
