import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { admin, ADMIN_KEY, buildTestApp, type TestApp } from '../support/app'
import { requestLines, until } from './wait'

const UPSTREAM_KEY = 'sk-or-v1-upstream-secret-0123456789abcdef'

let test_: TestApp
let apiKey: string

beforeAll(async () => {
  test_ = await buildTestApp({
    upstream: { baseUrl: 'http://127.0.0.1:9/api/v1', apiKey: UPSTREAM_KEY, demo: false },
  })
})

afterAll(async () => {
  await test_.close()
})

async function session() {
  const user = await admin(test_.app, 'POST', '/admin/users', {
    name: 'Su Su',
    email: 'su@example.com',
  })
  await admin(test_.app, 'POST', `/admin/users/${user.body.id}/credits`, {
    amount_mmk: 5000,
    reason: 'opening balance',
  })
  const key = await admin(test_.app, 'POST', `/admin/users/${user.body.id}/keys`, {
    name: 'laptop',
  })
  apiKey = key.body.key
  await admin(test_.app, 'GET', `/admin/users/${user.body.id}`, undefined, {
    authorization: `Bearer ${apiKey}`,
  })
  await admin(test_.app, 'GET', '/admin/settings', undefined, {
    authorization: 'Bearer not-the-admin-key-000',
  })
  await test_.app.handle(
    new Request('http://localhost/metrics', { headers: { authorization: `Bearer ${ADMIN_KEY}` } }),
  )
  return 6
}

describe('the log of a session', () => {
  test('has one complete line per request and no secret in any line', async () => {
    const requests = await session()
    await until(() => requestLines(test_.logs).length >= requests, 'a line per request')

    const lines = requestLines(test_.logs)
    const everything = test_.logs.join('\n')

    expect(lines.length).toBe(requests)
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
    expect(lines.map((line) => line.status)).toEqual([201, 200, 201, 401, 401, 200])
    for (const secret of [ADMIN_KEY, apiKey, UPSTREAM_KEY, apiKey.slice(6, 30)]) {
      expect(everything).not.toContain(secret)
    }
  })
})
