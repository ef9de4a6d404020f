import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dialect, freshDatabaseUrl } from '../support/database'
import { freePort, startServer } from './process'

const root = join(import.meta.dir, '..', '..')

interface FinalStage {
  env: Record<string, string>
  cmd: string[]
  healthcheck: string[]
  user?: string
  volumes: string[]
}

/** The instructions of the Dockerfile's last stage, as the image would run them. */
function finalStage(dockerfile: string): FinalStage {
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
  const last = instructions.findLastIndex((line) => /^FROM\s/i.test(line))
  const stage: FinalStage = { env: {}, cmd: [], healthcheck: [], volumes: [] }
  for (const line of instructions.slice(last)) {
    const [, keyword = '', rest = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? []
    switch (keyword.toUpperCase()) {
      case 'ENV':
        for (const [, name, value] of rest.matchAll(/(\w+)=("[^"]*"|\S+)/g))
          stage.env[name!] = value!.replace(/^"|"$/g, '')
        break
      case 'CMD':
        stage.cmd = JSON.parse(rest)
        break
      case 'HEALTHCHECK':
        stage.healthcheck = JSON.parse(rest.slice(rest.indexOf('CMD') + 3))
        break
      case 'USER':
        stage.user = rest
        break
      case 'VOLUME':
        stage.volumes.push(...JSON.parse(rest))
    }
  }
  return stage
}

const stage = finalStage(readFileSync(join(root, 'Dockerfile'), 'utf8'))
const dataDir = mkdtempSync(join(tmpdir(), 'sargalay-volume-'))
const cleanups: (() => Promise<void>)[] = [async () => rmSync(dataDir, { recursive: true })]

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup()
})

/** The image's environment, with its volume mounted at a temporary folder. */
async function containerEnv() {
  const volume = stage.volumes[0]!
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dataDir,
    ADMIN_KEY: 'container-admin-key-0123456789',
    JWT_SECRET: 'container-jwt-secret-0123456789',
  }
  for (const [name, value] of Object.entries(stage.env)) {
    env[name] = value.startsWith(volume) ? dataDir + value.slice(volume.length) : value
  }
  env.PORT = String(freePort())
  if (dialect === 'pg') {
    // As compose.yaml runs it: the same image pointed at PostgreSQL.
    const database = await freshDatabaseUrl()
    cleanups.push(database.drop)
    env.DATABASE_URL = database.url
  }
  return env
}

describe('the Dockerfile', () => {
  test('runs as a non-root user, on all interfaces, with the data in its volume', () => {
    expect(stage.user).toBe('bun')
    expect(stage.volumes).toEqual(['/data'])
    expect(stage.env).toMatchObject({
      HOST: '0.0.0.0',
      DATA_DIR: '/data',
      DATABASE_URL: '/data/sargalay.db',
      BUN_CONFIG_MAX_HTTP_REQUESTS: '8192',
    })
    expect(stage.cmd).toEqual(['bun', 'run', 'start'])
  })

  test('keeps what the server needs in the build context', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n')
    const needed = ['src', 'drizzle', 'public', 'views', 'locales', 'package.json', 'bun.lock']

    expect(needed.filter((name) => ignored.includes(name))).toEqual([])
  })

  test('its CMD with its environment comes up, is healthy and ready, and stops cleanly', async () => {
    const env = await containerEnv()
    const server = await startServer(stage.cmd, env, root)
    try {
      const health = await fetch(`${server.origin}/healthz`)
      const ready = await fetch(`${server.origin}/readyz`)
      const check = Bun.spawn(stage.healthcheck, { env, cwd: root })

      expect({ status: health.status, body: await health.json() }).toEqual({
        status: 200,
        body: { status: 'ok' },
      })
      expect({ status: ready.status, body: await ready.json() }).toEqual({
        status: 200,
        body: { status: 'ready', checks: { database: 'ok', ledger: 'ok' } },
      })
      expect(await check.exited).toBe(0)
      if (dialect === 'sqlite') expect(existsSync(join(dataDir, 'sargalay.db'))).toBe(true)
    } finally {
      server.process.kill('SIGTERM')
    }
    expect(await server.process.exited).toBe(0)
  }, 30_000)
})
