import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { admin, ADMIN_KEY, buildTestApp, type TestApp } from '../support/app'
import { COMPLETION_WORD, MODEL, slowUpstream } from './slow-upstream'
import { requestLines, until } from './wait'

const UPSTREAM_KEY = 'sk-or-v1-upstream-secret-0123456789abcdef'
const PROMPT = 'Please keep this prompt private: mingalaba-7731'

const upstream = slowUpstream(3, 5)
let test_: TestApp
let apiKey: string

beforeAll(async () => {
  test_ = await buildTestApp({
    upstream: { baseUrl: upstream.baseUrl, apiKey: UPSTREAM_KEY, demo: false },
  })
  await test_.services.catalog.whenReady()
})

afterAll(async () => {
  await test_.close()
  await upstream.stop()
})

const chat = (key: string, stream: boolean) =>
  test_.app.handle(
    new Request('http://localhost/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, stream, messages: [{ role: 'user', content: PROMPT }] }),
    }),
  )

/** Admin calls, proxied calls streamed and not, and refused keys; answers the statuses. */
async function session() {
  const user = await admin(test_.app, 'POST', '/admin/users', {
    name: 'Su Su',
    email: 'su@example.com',
  })
  const credit = await admin(test_.app, 'POST', `/admin/users/${user.body.id}/credits`, {
    amount_mmk: 5000,
    reason: 'opening balance',
  })
  const key = await admin(test_.app, 'POST', `/admin/users/${user.body.id}/keys`, {
    name: 'laptop',
  })
  apiKey = key.body.key
  const whole = await chat(apiKey, false)
  const streamed = await chat(apiKey, true)
  const answers = [await whole.text(), await streamed.text()]
  const wrongKey = await chat('sk-sg-not-a-real-key-000000000000', false)
  const keyAsAdmin = await admin(test_.app, 'GET', `/admin/users/${user.body.id}`, undefined, {
    authorization: `Bearer ${apiKey}`,
  })
  const metrics = await test_.app.handle(
    new Request('http://localhost/metrics', { headers: { authorization: `Bearer ${ADMIN_KEY}` } }),
  )
  const statuses = [user, credit, key, whole, streamed, wrongKey, keyAsAdmin, metrics]
  return { statuses: statuses.map((answer) => answer.status), answers }
}

describe('the log of a session', () => {
  test(
    'has one complete line per request and no key, ' + 'prompt or completion in any line',
    async () => {
      const { statuses, answers } = await session()
      await until(() => requestLines(test_.logs).length >= statuses.length, 'a line per request')

      const lines = requestLines(test_.logs)
      const everything = test_.logs.join('\n')

      expect(statuses).toEqual([201, 200, 201, 200, 200, 401, 401, 200])
      expect(answers.every((answer) => answer.includes(COMPLETION_WORD))).toBe(true)
      expect(lines.length).toBe(statuses.length)
      for (const line of lines) {
        expect(Object.keys(line)).toEqual(
          expect.arrayContaining([
            'time',
            'level',
            'requestId',
            'method',
            'route',
            'status',
            'durationMs',
          ]),
        )
      }
      const proxied = lines.filter(
        (line) => line.route === '/v1/chat/completions' && line.status === 200,
      )
      for (const line of proxied) {
        expect(line).toMatchObject({ model: MODEL, accountId: expect.any(String) })
        expect(line.chargedMmk).toBeGreaterThan(0)
      }
      // The streamed answer's upstream sends X-Generation-Id; its line carries it.
      expect(proxied.map((line) => line.generationId).filter(Boolean)).toEqual(['gen-ops-1'])
      for (const secret of [
        ADMIN_KEY,
        apiKey,
        apiKey.slice(6, 30),
        UPSTREAM_KEY,
        PROMPT,
        COMPLETION_WORD,
      ]) {
        expect(everything).not.toContain(secret)
      }
      expect(upstream.seen.map((call) => call.authorization)).toEqual([
        `Bearer ${UPSTREAM_KEY}`,
        `Bearer ${UPSTREAM_KEY}`,
      ])
    },
  )
})
