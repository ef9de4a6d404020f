import { afterEach, describe, expect, test } from 'bun:test'
import { eq } from 'drizzle-orm'
import { createApp } from '../../src/app'
import { auditLedger } from '../../src/ledger/audit'
import { newId } from '../../src/lib/ids'
import { shutdown } from '../../src/ops/shutdown'
import { createServices, stopServices } from '../../src/services'
import { buildTestApp, type TestApp } from '../support/app'
import { usageRow } from '../support/ledger'

const CHUNK_UNITS = 100

let test_: TestApp | undefined

afterEach(async () => {
  await test_?.database.drop()
  test_ = undefined
})

/**
 * A stand-in for the gateway's streamed answer, keeping the contract shutdown relies on: it
 * tracks itself in `services.inFlight`, holds money while it runs, and settles on its end or
 * on the abort signal, charging for the chunks it sent.
 */
function streamingApp(t: TestApp, accountId: string) {
  const { ledger, inFlight } = t.services
  return createApp(t.services).get('/test/stream/:chunks', ({ params }) => {
    const total = Number(params.chunks)
    const hold = ledger.placeHold(accountId, total * CHUNK_UNITS)
    const work = inFlight.begin()
    let sent = 0
    const settle = () => {
      ledger.settle(hold.id, sent * CHUNK_UNITS, usageRow({ accountId, completionTokens: sent }))
      work.done()
    }
    const body = new ReadableStream<string>({
      async pull(controller) {
        if (work.signal.aborted || sent === total) {
          controller.enqueue(work.signal.aborted ? 'data: [ABORTED]\n\n' : 'data: [DONE]\n\n')
          controller.close()
          return settle()
        }
        await new Promise((resolve) => setTimeout(resolve, 20))
        sent++
        controller.enqueue(`data: ${sent}\n\n`)
      },
    })
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
  })
}

async function setUp(graceMs: number) {
  test_ = await buildTestApp({
    env: { SHUTDOWN_GRACE_MS: String(graceMs), LEDGER_FLUSH_MS: '1000' },
  })
  const account = await test_.services.accounts.create({ name: 'Streamer' })
  await test_.services.ledger.credit({
    accountId: account.id,
    amountUnits: 1_000_000_000,
    reason: 'topup',
    reference: newId('test'),
  })
  const app = streamingApp(test_, account.id)
  const server = app.listen({ port: 0, hostname: '127.0.0.1' }).server!
  return { account, app, server, origin: `http://127.0.0.1:${server.port}` }
}

async function firstChunkThenRest(response: Response) {
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  const first = await reader.read()
  return {
    first: decoder.decode(first.value),
    rest: (async () => {
      let text = ''
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }))
        if (done) return text
        text += decoder.decode(value)
      }
    })(),
  }
}

/** What a restarted process would find: the account's stored state and the audit's verdict. */
async function afterRestart(accountId: string) {
  const db = await test_!.database.reopen()
  const services = await createServices({ ...test_!.services, db })
  const stored = await db.orm
    .select({ balance: db.t.accounts.balanceUnits })
    .from(db.t.accounts)
    .where(eq(db.t.accounts.id, accountId))
  const usage = await db.orm.select().from(db.t.usageRecords)
  const holds = await db.orm.select().from(db.t.holds)
  const problems = await auditLedger(db, services.ledger, { maxHoldAgeMs: 60_000, now: Date.now() })
  await stopServices(services)
  return {
    balance: stored[0]!.balance,
    completionTokens: usage.map((row) => row.completionTokens),
    holds: holds.length,
    problems,
  }
}

describe('graceful shutdown', () => {
  test(
    'stops accepting, lets a stream finish, ' + 'flushes its charge and closes the database',
    async () => {
      const { account, app, server, origin } = await setUp(5_000)
      const stream = await firstChunkThenRest(await fetch(`${origin}/test/stream/10`))

      const stopping = shutdown(server, test_!.services)
      const refused = await fetch(`${origin}/healthz`).then(
        () => false,
        () => true,
      )
      const readiness = await app.handle(new Request('http://localhost/readyz'))
      const rest = await stream.rest
      await stopping

      expect(refused).toBe(true)
      expect({ status: readiness.status, body: await readiness.json() }).toEqual({
        status: 503,
        body: {
          status: 'not ready',
          checks: { database: 'ok', ledger: 'ok', server: 'shutting down' },
        },
      })
      expect(stream.first + rest).toBe(
        Array.from({ length: 10 }, (_, i) => `data: ${i + 1}\n\n`).join('') + 'data: [DONE]\n\n',
      )
      expect(test_!.logs.map((line) => JSON.parse(line).event)).toContain('shutdown_complete')
      expect(await afterRestart(account.id)).toEqual({
        balance: 1_000_000_000 - 10 * CHUNK_UNITS,
        completionTokens: [10],
        holds: 0,
        problems: [],
      })
    },
  )

  test('aborts a stream that outlives the grace period and settles what it sent', async () => {
    const { account, server, origin } = await setUp(150)
    const stream = await firstChunkThenRest(await fetch(`${origin}/test/stream/100000`))

    await shutdown(server, test_!.services)
    const rest = await stream.rest

    const sent = (stream.first + rest).match(/data: \d+/g)!.length
    const completed = test_!.logs
      .map((line) => JSON.parse(line))
      .find((line) => line.event === 'shutdown_complete')
    expect(completed).toMatchObject({ finished: 0, aborted: 1, unsettled: 0 })
    expect(rest).toEndWith('data: [ABORTED]\n\n')
    expect(await afterRestart(account.id)).toEqual({
      balance: 1_000_000_000 - sent * CHUNK_UNITS,
      completionTokens: [sent],
      holds: 0,
      problems: [],
    })
  })
})
