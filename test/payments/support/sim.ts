import { MMPayProvider } from '../../../src/payments/mmpay-provider'
import {
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../../../src/payments/simulator/simulator'

export const merchant = {
  appId: 'MM0000001',
  publishableKey: 'pk_test_sargalay',
  secretKey: 'sk_test_sargalay_secret',
}

/** A simulator on a loopback port, with retries scaled down to milliseconds. */
export function testSimulator(options: Partial<SimulatorOptions> = {}): RunningSimulator {
  return startSimulator({ merchants: [merchant], timeScale: 0.001, ...options })
}

export function providerFor(sim: RunningSimulator, overrides: { timeoutMs?: number } = {}) {
  return new MMPayProvider({ ...merchant, baseUrl: sim.url, ...overrides })
}

/** Calls a `/__sim` control endpoint and returns its JSON. */
export async function control(sim: RunningSimulator, path: string, body?: unknown) {
  const response = await fetch(`${sim.url}/__sim${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: await response.json() }
}

/** Waits until `check` holds, polling the event loop rather than sleeping a fixed time. */
export async function until(check: () => boolean | Promise<boolean>, what = 'condition') {
  for (let i = 0; i < 500; i++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  throw new Error(`timed out waiting for ${what}`)
}
