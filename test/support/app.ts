import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp, type AppOptions } from '../../src/app'
import { loadConfig, type Config } from '../../src/config'
import type { Database } from '../../src/db/database'
import { ManualClock, type Clock } from '../../src/lib/clock'
import { memoryLogger } from '../../src/ops/logger'
import {
  createServices,
  stopServices,
  type Services,
  type UpstreamTarget,
} from '../../src/services'
import { testDatabase, type TestDatabase } from './database'

export const ADMIN_KEY = 'test-admin-key-0123456789'

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'sargalay-data-')),
    ADMIN_KEY,
    JWT_SECRET: 'test-jwt-secret-0123456789abcdef',
    LEDGER_FLUSH_MS: '1',
    ...env,
  })
}

export interface TestApp {
  app: ReturnType<typeof createApp>
  services: Services
  database: TestDatabase
  logs: string[]
  clock: Clock
  /** Flushes, closes and drops the database. */
  close(): Promise<void>
}

export interface TestAppOptions extends AppOptions {
  env?: Record<string, string>
  clock?: Clock
  database?: TestDatabase
  db?: Database
  upstream?: UpstreamTarget
}

export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await testDatabase())
  const { logger, lines } = memoryLogger()
  const clock = options.clock ?? new ManualClock(Date.now())
  const config = testConfig({ ...options.env, DATABASE_URL: database.url })
  const services = await createServices({
    config,
    db: options.db ?? database.db,
    clock,
    logger,
    upstream: options.upstream,
  })
  const app = createApp(services, options)
  return {
    app,
    services,
    database,
    logs: lines,
    clock,
    close: async () => {
      await stopServices(services)
      if (!options.database) await database.drop()
    },
  }
}

/** A JSON request to the app with the admin key. */
export async function admin(
  app: TestApp['app'],
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await app.handle(
    new Request(`http://localhost${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_KEY}`,
        'content-type': 'application/json',
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }),
  )
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined, response }
}
