import { describe, expect, test } from 'bun:test'
import { UNITS_PER_MMK } from '../../src/ledger/money'
import { audit } from '../support/ledger'
import { expectedUnits, OPERATOR_KEY, sse, sseHeaders, stoppedAfterEach } from './support'

const start = stoppedAfterEach()

const usage = {
  prompt_tokens: 12,
  completion_tokens: 3,
  total_tokens: 15,
  cost: 0.0000036,
  is_byok: false,
  cost_details: { upstream_inference_cost: 0.0000035 },
}
const answer = {
  id: 'gen-77',
  object: 'chat.completion',
  created: 1,
  model: 'demo/swift-chat',
  provider: 'Azure',
  choices: [
    {
      index: 0,
      finish_reason: 'stop',
      native_finish_reason: 'end_turn',
      message: { role: 'assistant', content: 'The word "usage": {"cost": 1} is only text.' },
    },
  ],
  usage,
  user_id: 'user_operator_account',
}
/** Headers a real upstream sends that must never reach the client. */
const upstreamHeaders = {
  'x-generation-id': 'gen-77',
  'set-cookie': 'or_session=secret',
  'content-encoding': 'identity',
  'x-openrouter-cache-status': 'MISS',
  'x-ratelimit-remaining': '3',
}

const ask = { model: 'demo/swift-chat', messages: [{ role: 'user', content: 'hi' }] }
const leaks =
  /"cost"|is_byok|cost_details|provider|native_finish_reason|user_operator|Azure|sk-or-v1/

describe('what crosses the gateway', () => {
  test(
    'the upstream gets the operator key, usage requests, ' +
      'a completion cap and attribution only',
    async () => {
      const upstream = start.upstream(() => Response.json(answer, { headers: upstreamHeaders }))
      const env = await start.gateway({ upstream: upstream.target })

      await env.post('/v1/chat/completions', ask, {
        'x-title': 'My App',
        cookie: 'portal=1',
        'x-forwarded-for': '10.0.0.1',
        connection: 'keep-alive, x-secret',
        'x-secret': 'do-not-pass',
      })

      const [seen] = upstream.seen
      expect(seen!.headers.get('authorization')).toBe(`Bearer ${OPERATOR_KEY}`)
      expect(seen!.headers.get('x-title')).toBe('My App')
      for (const name of ['cookie', 'x-forwarded-for', 'x-secret']) {
        expect(seen!.headers.get(name)).toBeNull()
      }
      expect(JSON.parse(seen!.body)).toEqual({ ...ask, usage: { include: true }, max_tokens: 4096 })
    },
  )

  test(
    'a streaming request asks the upstream for ' + 'the usage chunk even when the client did not',
    async () => {
      const upstream = start.upstream(() => new Response(sse('[DONE]'), { headers: sseHeaders }))
      const env = await start.gateway({ upstream: upstream.target })

      await (
        await env.post('/v1/chat/completions', {
          ...ask,
          stream: true,
          max_tokens: 9,
          stream_options: { include_usage: false },
        })
      ).text()

      expect(JSON.parse(upstream.seen[0]!.body)).toEqual({
        ...ask,
        stream: true,
        max_tokens: 9,
        stream_options: { include_usage: true },
        usage: { include: true },
      })
    },
  )

  test(
    'no upstream cost, key, account or header ' + 'reaches the client, whole or streamed',
    async () => {
      const chunk = {
        ...answer,
        object: 'chat.completion.chunk',
        usage: undefined,
        choices: [{ index: 0, delta: { content: 'x' }, native_finish_reason: null }],
      }
      const last = { ...chunk, choices: [], usage }
      const upstream = start.upstream((request) =>
        request.body && JSON.parse(String(upstream.seen.at(-1)!.body)).stream
          ? new Response(sse(chunk, last, '[DONE]'), {
              headers: { ...sseHeaders, ...upstreamHeaders },
            })
          : Response.json(answer, { headers: upstreamHeaders }),
      )
      const env = await start.gateway({ upstream: upstream.target })
      const server = start.listen(env)

      const whole = await fetch(`${server.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.key}` },
        body: JSON.stringify(ask),
      })
      const streamed = await fetch(`${server.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.key}` },
        body: JSON.stringify({ ...ask, stream: true, stream_options: { include_usage: true } }),
      })
      const wholeText = await whole.text()
      const streamText = await streamed.text()

      const charged = expectedUnits(3600n) / UNITS_PER_MMK
      const ours = [
        'cache-control',
        'content-length',
        'content-type',
        'date',
        'transfer-encoding',
        'x-request-id',
      ]
      for (const response of [whole, streamed]) {
        const headers: [string, string][] = []
        response.headers.forEach((value, name) => headers.push([name, value]))
        expect(headers.filter(([name]) => !ours.includes(name))).toEqual([])
        for (const [, value] of headers) expect(value).not.toMatch(leaks)
      }
      expect(wholeText).not.toMatch(leaks)
      expect(streamText).not.toMatch(leaks)
      expect(JSON.parse(wholeText)).toEqual({
        id: 'gen-77',
        object: 'chat.completion',
        created: 1,
        model: 'demo/swift-chat',
        choices: [{ index: 0, finish_reason: 'stop', message: answer.choices[0]!.message }],
        usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, cost_mmk: charged },
      })
      expect(streamText).toContain(`"cost_mmk":${charged}`)
      expect(await audit(env.services)).toEqual([])
    },
  )
})
