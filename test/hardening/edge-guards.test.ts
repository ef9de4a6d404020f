import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { admin, buildTestApp, type TestApp } from '../support/app'
import { audit } from '../support/ledger'

let test_: TestApp
let userId: string

beforeAll(async () => {
  test_ = await buildTestApp({ env: { MAX_BODY_BYTES: '4096' } })
  userId = (await admin(test_.app, 'POST', '/admin/users', { name: 'Edge' })).body.id
})

afterAll(() => test_.close())

const refusedNul = {
  error: {
    message: 'Text may not contain NUL characters.',
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_text',
  },
}

describe('edge guards', () => {
  // On PostgreSQL a NUL in a ledger note failed the write with a 500 after memory had already
  // moved, and the journal retried that batch forever, so no charge was written after it.
  test(
    'a NUL anywhere in the URL or body is ' + 'refused before it can reach the database',
    async () => {
      const answers = [
        await admin(test_.app, 'POST', `/admin/users/${userId}/credits`, {
          amount_mmk: 5,
          reason: 'x\u0000',
        }),
        await admin(test_.app, 'POST', '/admin/users', { name: 'a\u0000b' }),
        await admin(test_.app, 'DELETE', '/admin/keys/%00'),
        await admin(test_.app, 'GET', '/admin/users/%00/usage'),
      ]
      const afterwards = await admin(test_.app, 'POST', `/admin/users/${userId}/credits`, {
        amount_mmk: 5,
        reason: 'fine',
      })

      expect(answers.map((answer) => [answer.status, answer.body])).toEqual(
        Array(4).fill([400, refusedNul]),
      )
      expect(afterwards.body).toEqual({ balance_mmk: 5 })
      expect(await audit(test_.services)).toEqual([])
    },
  )

  test('a declared body over MAX_BODY_BYTES is refused on every route with 413', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(5000) })

    const answer = await admin(test_.app, 'POST', '/admin/users', body, {
      'content-length': String(body.length),
    })

    expect(answer.status).toBe(413)
    expect(answer.body.error.code).toBe('request_too_large')
  })
})
