import type { Server } from 'bun'
import { unitsToMmk } from '../../../src/ledger/money'
import type { SimulatorOptions } from '../../../src/payments/simulator/simulator'
import { buildTestApp, type TestApp } from '../../support/app'
import { control, merchant, testSimulator } from './sim'

/**
 * The gateway on a real loopback port with MMPay configured to point at a simulator, so the
 * real provider class talks HTTP to it and the simulator delivers callbacks over HTTP.
 */
export async function topupHarness(
  options: {
    sim?: Partial<SimulatorOptions>
    env?: Record<string, string>
    /** Use the simulator the services start without MMPay credentials, as a new install does. */
    sandbox?: boolean
  } = {},
) {
  const external = options.sandbox ? undefined : testSimulator(options.sim)
  const mmpay = external && {
    MMPAY_APP_ID: merchant.appId,
    MMPAY_PUBLISHABLE_KEY: merchant.publishableKey,
    MMPAY_SECRET_KEY: merchant.secretKey,
    MMPAY_BASE_URL: external.url,
  }
  let handle: (request: Request) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503 })
  const server: Server<undefined> = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: (request) => handle(request),
  })
  const env: TestApp = await buildTestApp({
    env: {
      PUBLIC_BASE_URL: `http://127.0.0.1:${server.port}`,
      ...mmpay,
      ...options.env,
    },
  })
  handle = (request) => env.app.handle(request)
  const sim = external ?? env.services.payments.sandbox!
  const account = await env.services.accounts.create({ name: 'Aung Aung' })
  const { payments, ledger } = env.services

  return {
    sim,
    env,
    account,
    payments,
    gatewayUrl: `http://127.0.0.1:${server.port}`,
    balanceMmk: (accountId = account.id) => unitsToMmk(ledger.fundsOf(accountId).balanceUnits),
    order: async (id: string) => (await payments.orders.get(id))!,
    createTopup: (amountMmk = 5000, idempotencyKey?: string) =>
      payments.topups.create({ accountId: account.id, amountMmk, idempotencyKey }),
    simControl: (path: string, body?: unknown) => control(sim, path, body),
    deliveries: async (orderId: string) =>
      (
        (await control(sim, '/deliveries')).body.data as {
          orderId: string
          responseStatus: number | null
          body: string
          fault?: string
        }[]
      ).filter((d) => d.orderId === orderId),
    close: async () => {
      await external?.stop()
      await server.stop(true)
      await env.close()
    },
  }
}

export type TopupHarness = Awaited<ReturnType<typeof topupHarness>>
