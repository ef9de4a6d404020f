import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { spawnServer, type ServerProcess } from './processes'
import { freePort } from './stats'

export const ADMIN_KEY = 'bench-admin-key-0123456789abcdef'
export const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef'

export interface SargalayOptions {
  databaseUrl: string
  dataDir: string
  upstreamUrl: string
  timeoutMs?: number
  /** Runs the app under Bun's CPU profiler instead, writing Markdown profiles here at exit. */
  profileDir?: string
  /** More configuration, for experiments such as another LEDGER_FLUSH_MS. */
  env?: Record<string, string>
  /** Another checkout of Sargalay to run instead of this one (`bench/compare.ts`). */
  checkout?: string
}

/**
 * Sargalay as production runs it: `bun run start` with its configuration in the environment,
 * a real upstream key (so the demo upstream stays off), and per-key limits raised so that
 * the load measures the gateway rather than its abuse limits.
 */
export async function startSargalay(options: SargalayOptions): Promise<ServerProcess> {
  const port = await freePort()
  mkdirSync(options.dataDir, { recursive: true })
  return spawnServer({
    cmd: options.profileDir ? profiled(options.profileDir) : [process.execPath, 'run', 'start'],
    url: `http://127.0.0.1:${port}`,
    readyPath: '/readyz',
    worker: 'src/index.ts',
    cwd: options.checkout,
    logFile: join(options.dataDir, `sargalay-${port}.log`),
    timeoutMs: options.timeoutMs,
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      DATABASE_URL: options.databaseUrl,
      UPSTREAM_BASE_URL: options.upstreamUrl,
      UPSTREAM_API_KEY: 'bench-upstream-key',
      ADMIN_KEY,
      JWT_SECRET,
      BUN_CONFIG_MAX_HTTP_REQUESTS: '8192',
      KEY_REQUESTS_PER_MINUTE: '1000000',
      KEY_CONCURRENT_REQUESTS: '100000',
      ...options.env,
    },
  })
}

// The same entry point as the start script, which sets nothing else the suite does not set.
const profiled = (dir: string) => [
  process.execPath,
  '--cpu-prof',
  '--cpu-prof-md',
  `--cpu-prof-dir=${dir}`,
  'src/index.ts',
]

export async function adminCall(base: string, method: string, path: string, body: unknown) {
  const response = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`)
  return JSON.parse(text) as Record<string, unknown>
}

/** An account with a large balance and one API key, made through the admin API. */
export async function provisionAccount(base: string) {
  const user = await adminCall(base, 'POST', '/admin/users', { name: 'Bench' })
  const id = String(user.id)
  await adminCall(base, 'POST', `/admin/users/${id}/credits`, {
    amount_mmk: 100_000_000,
    reason: 'benchmark balance',
  })
  const key = await adminCall(base, 'POST', `/admin/users/${id}/keys`, { name: 'bench' })
  return { accountId: id, key: String(key.key) }
}

/** The account's balance as the admin API reports it, in MMK. */
export async function balanceMmk(base: string, accountId: string): Promise<number> {
  const user = await adminCall(base, 'GET', `/admin/users/${accountId}`, undefined)
  return Number(user.balance_mmk)
}
