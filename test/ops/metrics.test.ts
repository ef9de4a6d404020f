import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { Elysia } from 'elysia'
import { contextOf } from '../../src/http/request-context'
import type { ManualClock } from '../../src/lib/clock'
import { newId } from '../../src/lib/ids'
import { memoryLogger } from '../../src/ops/logger'
import { MetricsRegistry } from '../../src/ops/metrics'
import { requestLog } from '../../src/ops/request-log'
import { admin, ADMIN_KEY, buildTestApp, type TestApp } from '../support/app'
import { MODEL, slowUpstream } from './slow-upstream'
import { requestLines, until } from './wait'

let test_: TestApp
let upstream: ReturnType<typeof slowUpstream>

beforeEach(async () => {
  upstream = slowUpstream(4, 1)
  test_ = await buildTestApp({
    upstream: { baseUrl: upstream.baseUrl, apiKey: 'sk-or-metrics-test', demo: false },
  })
  await test_.services.catalog.whenReady()
})

afterEach(async () => {
  await test_.close()
  await upstream.stop()
})

async function scrape(app: TestApp['app'], key = ADMIN_KEY) {
  const response = await app.handle(
    new Request('http://localhost/metrics', { headers: { authorization: `Bearer ${key}` } }),
  )
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    text: await response.text(),
  }
}

async function promtool(text: string) {
  const run = Bun.spawn(['promtool', 'check', 'metrics'], {
    stdin: new Blob([text]),
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const output = (await new Response(run.stdout).text()) + (await new Response(run.stderr).text())
  return { exitCode: await run.exited, output }
}

function insertOrder(status: string) {
  const { db } = test_.services
  const now = Date.now()
  return async (accountId: string) =>
    db.write((tx) =>
      tx.insert(db.t.topupOrders).values({
        id: newId('ord'),
        accountId,
        amountMmk: 5000,
        status,
        provider: 'sandbox',
        expiresAt: now + 60_000,
        createdAt: now,
        updatedAt: now,
      }),
    )
}

describe('GET /metrics', () => {
  test('needs the admin key', async () => {
    const answer = await scrape(test_.app, 'wrong-key-0123456789')

    expect(answer.status).toBe(401)
    expect(JSON.parse(answer.text).error.code).toBe('invalid_admin_key')
  })

  test('a real scrape passes promtool and shows requests, holds and orders', async () => {
    const user = await admin(test_.app, 'POST', '/admin/users', { name: 'Aye' })
    await admin(test_.app, 'POST', `/admin/users/${user.body.id}/credits`, {
      amount_mmk: 1000,
      reason: 'test',
    })
    await admin(test_.app, 'GET', '/admin/users/nobody')
    const key = await admin(test_.app, 'POST', `/admin/users/${user.body.id}/keys`, { name: 'k' })
    const proxied = await test_.app.handle(
      new Request('http://localhost/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${key.body.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: MODEL,
          stream: true,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      }),
    )
    await proxied.text()
    test_.services.ledger.placeHold(user.body.id, 2_500_000)
    await insertOrder('pending')(user.body.id)
    await insertOrder('pending')(user.body.id)
    await insertOrder('paid')(user.body.id)
    await until(() => requestLines(test_.logs).length === 5, 'five request lines')

    const answer = await scrape(test_.app)
    const checked = await promtool(answer.text)

    expect(answer.status).toBe(200)
    expect(answer.type).toBe('text/plain; version=0.0.4; charset=utf-8')
    expect(checked).toEqual({ exitCode: 0, output: '' })
    const lines = answer.text.split('\n')
    expect(lines).toContain(
      'sargalay_http_requests_total{method="POST",model="",route="/admin/users",status="201"} 1',
    )
    expect(lines).toContain(
      'sargalay_http_requests_total{method="GET",model="",route="/admin/users/:id",status="404"} 1',
    )
    expect(lines).toContain(
      `sargalay_http_requests_total{method="POST",model="${MODEL}",` +
        'route="/v1/chat/completions",status="200"} 1',
    )
    expect(lines.filter((line) => /^sargalay_gateway_\w+[{ ]/.test(line)).length).toBeGreaterThan(0)
    expect(lines).toContain('sargalay_ledger_open_holds 1')
    expect(lines).toContain('sargalay_ledger_held_mmk 250')
    expect(lines).toContain('sargalay_shutdown_tracked_work 0')
    expect(lines).toContain('sargalay_topup_orders{status="pending"} 2')
    expect(lines).toContain('sargalay_topup_orders{status="paid"} 1')
  }, 30_000)

  test('shows the age and size of the model list', async () => {
    const fresh = await scrape(test_.app)
    ;(test_.clock as ManualClock).advance(90_000)
    const later = await scrape(test_.app)

    expect(fresh.text.split('\n')).toEqual(
      expect.arrayContaining(['sargalay_catalog_age_seconds 0', 'sargalay_catalog_models 1']),
    )
    expect(later.text.split('\n')).toContain('sargalay_catalog_age_seconds 90')
  })

  test('a stream tracked in flight shows until it is done', async () => {
    const work = test_.services.inFlight.begin()

    const during = await scrape(test_.app)
    work.done()
    const after = await scrape(test_.app)

    expect(during.text.split('\n')).toContain('sargalay_shutdown_tracked_work 1')
    expect(after.text.split('\n')).toContain('sargalay_shutdown_tracked_work 0')
  })
})

describe('request metrics', () => {
  test('count the model that handlers record, and unmatched paths under one label', async () => {
    const registry = new MetricsRegistry()
    const { logger, lines: logs } = memoryLogger()
    const app = new Elysia()
      .use(requestLog(logger, registry))
      .post('/v1/chat/completions', ({ request }) => {
        const context = contextOf(request)
        context.model = 'openai/gpt-4o-mini'
        return { ok: true }
      })

    for (let i = 0; i < 2; i++) {
      await app.handle(new Request('http://localhost/v1/chat/completions', { method: 'POST' }))
    }
    await app.handle(new Request('http://localhost/nowhere/at/all'))
    await until(() => requestLines(logs).length === 3, 'three request lines')
    const lines = registry.render().split('\n')

    expect(lines).toContain(
      'sargalay_http_requests_total{method="POST",model="openai/gpt-4o-mini",' +
        'route="/v1/chat/completions",status="200"} 2',
    )
    expect(lines).toContain(
      'sargalay_http_requests_total{method="GET",model="",route="unmatched",status="404"} 1',
    )
    expect(lines.filter((line) => line.includes('nowhere'))).toEqual([])
    expect((await promtool(registry.render())).exitCode).toBe(0)
  })
})
