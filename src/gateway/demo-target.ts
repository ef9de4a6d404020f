import type { Config } from '../config'
import type { Logger } from '../ops/logger'
import type { UpstreamTarget } from '../services'
import { startDemoUpstream } from './demo/server'

export interface RunningDemo {
  target: UpstreamTarget
  stop(): Promise<void>
}

/**
 * Without an upstream key there is nobody to pay for real replies, so the built-in demo
 * upstream answers instead, through the same fetch path as a real one. Says so loudly.
 */
export function demoUnlessKeyed(config: Config, logger: Logger): RunningDemo | undefined {
  if (config.UPSTREAM_API_KEY) return undefined
  const demo = startDemoUpstream({ chunkDelayMs: config.DEMO_STREAM_DELAY_MS })
  logger.warn('demo_upstream', {
    message:
      'UPSTREAM_API_KEY is not set: the built-in demo upstream answers; replies are synthetic',
    baseUrl: demo.baseUrl,
  })
  return { target: { baseUrl: demo.baseUrl, demo: true }, stop: demo.stop }
}
