import { afterEach, beforeEach, expect, test } from 'bun:test'
import { Elysia } from 'elysia'
import { errorHandler } from '../../src/http/error-handler'
import { requestLog } from '../../src/ops/request-log'
import { memoryLogger } from '../../src/ops/logger'

let logs: string[]
let app: Elysia<any, any, any, any, any, any, any>

beforeEach(() => {
  const { logger, lines } = memoryLogger()
  logs = lines
  app = new Elysia()
    .use(requestLog(logger))
    .use(errorHandler(logger))
    .get('/v1/boom', () => {
      throw new Error('database password is hunter2-sk-live-SECRET')
    })
})

afterEach(() => {
  logs.length = 0
})

test(
  'an unexpected error answers a generic body ' + 'with the request id, never its message',
  async () => {
    const response = await app.handle(
      new Request('http://localhost/v1/boom', { headers: { 'x-request-id': 'trace-1234567' } }),
    )
    const body = await response.text()

    expect(response.status).toBe(500)
    expect(response.headers.get('x-request-id')).toBe('trace-1234567')
    expect(body).not.toContain('hunter2')
    expect(body).not.toContain('SECRET')
    expect(JSON.parse(body)).toEqual({
      error: {
        message:
          'Something went wrong on our side. Quote request id trace-1234567 if you contact us.',
        type: 'api_error',
        param: null,
        code: 'internal_error',
      },
    })
  },
)

test('an insane request id is replaced by one of ours', async () => {
  const response = await app.handle(
    new Request('http://localhost/v1/nothing', { headers: { 'x-request-id': 'bad id\u0001' } }),
  )

  expect(response.status).toBe(404)
  expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{24}$/)
})
