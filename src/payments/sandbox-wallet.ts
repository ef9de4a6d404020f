import type { RunningSimulator } from './simulator/simulator'
import type { Wallet } from './types'

/**
 * The "sandbox wallet" of the portal: it scans the order's QR at the simulator the way a
 * banking app would, so the simulator pays it and calls our webhook. Only the simulator has it.
 */
export async function payWithSandboxWallet(
  sandbox: RunningSimulator,
  qrPayload: string,
  wallet: Wallet,
): Promise<boolean> {
  const response = await fetch(`${sandbox.url}/__sim/scan`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ qr: qrPayload, vendor: wallet }),
  })
  await response.body?.cancel()
  return response.ok
}
