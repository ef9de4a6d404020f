import { staticPlugin } from '@elysiajs/static'
import { afterAll, describe, expect, test } from 'bun:test'
import { Elysia } from 'elysia'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { errorHandler } from '../../src/http/error-handler'
import { createLogger, memoryLogger } from '../../src/ops/logger'
import { requestLog } from '../../src/ops/request-log'
import { buildTestApp } from '../support/app'
import { requestLines, until } from './wait'

const assets = mkdtempSync(join(tmpdir(), 'sargalay-assets-'))
writeFileSync(join(assets, 'app.css'), 'body { margin: 0 }')

afterAll(() => rmSync(assets, { recursive: true, force: true }))

async function smallApp() {
  const { logger, lines } = memoryLogger()
  const app = new Elysia()
    .use(requestLog(logger))
    .use(errorHandler(logger))
    .use(staticPlugin({ assets, prefix: '/public', alwaysStatic: false }))
    .get('/v1/boom', () => {
      throw new Error('secret internals')
    })
    .get('/v1/ok', () => ({ ok: true }))
  await app.modules
  return { app, lines }
}

const get = (app: { handle(request: Request): Promise<Response> }, path: string, id?: string) =>
  app.handle(new Request(`http://localhost${path}`, { headers: id ? { 'x-request-id': id } : {} }))

describe('the request id', () => {
  test('is on every answer: success, static file, unknown route and unhandled error', async () => {
    const { app } = await smallApp()

    const answers = await Promise.all(
      ['/v1/ok', '/public/app.css', '/nowhere', '/v1/boom'].map((path) => get(app, path)),
    )

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 404, 500])
    for (const answer of answers) {
      expect(answer.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{24}$/)
    }
  })

  test(
    'keeps a sane X-Request-Id, replaces an insane one, ' + 'and logs the id it answered with',
    async () => {
      const { app, lines } = await smallApp()

      const kept = await get(app, '/v1/boom', 'trace-0123456789')
      const replaced = await get(app, '/v1/ok', 'bad id with spaces\n')
      await until(() => requestLines(lines).length === 2, 'two request lines')
      const logged = requestLines(lines).map((line) => line.requestId)

      expect(kept.headers.get('x-request-id')).toBe('trace-0123456789')
      expect((await kept.json()).error.message).toContain('trace-0123456789')
      expect(replaced.headers.get('x-request-id')).toMatch(/^req_/)
      expect(logged.sort()).toEqual(
        [kept.headers.get('x-request-id'), replaced.headers.get('x-request-id')].sort(),
      )
    },
  )
})

describe('the request id in the whole app', () => {
  test('is on pages, static files, the docs, and JSON and HTML errors', async () => {
    const test_ = await buildTestApp()
    const paths = [
      '/',
      '/no-such-page',
      '/public/app.css',
      '/docs',
      '/admin/users/x',
      '/v1/nothing',
    ]

    const answers = await Promise.all(paths.map((path) => get(test_.app, path)))
    await test_.close()

    expect(answers.map((answer) => [answer.status, answer.headers.get('x-request-id')])).toEqual(
      [200, 404, 200, 200, 401, 404].map((status) => [status, expect.stringMatching(/^req_/)]),
    )
  })
})

describe('LOG_LEVEL', () => {
  test('drops events below the configured level', () => {
    const written: string[] = []
    const logger = createLogger('warn', (line) => written.push(line))

    logger.info('request', { status: 200 })
    logger.warn('request', { status: 503 })
    logger.error('unhandled_error', {})

    expect(written.map((line) => JSON.parse(line).level)).toEqual(['warn', 'error'])
  })
})
