import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dialect, freshDatabaseUrl } from '../support/database'
import { copyContext, finalStage, installCommand } from './dockerfile'
import { freePort, startServer } from './process'

const root = join(import.meta.dir, '..', '..')

const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8')
const stage = finalStage(dockerfile)
const dataDir = mkdtempSync(join(tmpdir(), 'sargalay-volume-'))
const imageDir = mkdtempSync(join(tmpdir(), 'sargalay-image-'))
const cleanups: (() => Promise<void>)[] = [
  async () => rmSync(dataDir, { recursive: true }),
  async () => rmSync(imageDir, { recursive: true }),
]

let context: string[] = []

// The image's two stages on this machine: the context as COPY sees it, then the deps stage's
// install, which leaves only production dependencies.
beforeAll(async () => {
  context = copyContext(root, imageDir)
  const install = Bun.spawn(installCommand(dockerfile), {
    cwd: imageDir,
    stdout: 'ignore',
    stderr: 'pipe',
  })
  if ((await install.exited) !== 0) throw new Error(await new Response(install.stderr).text())
}, 120_000)

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

  test('passes dockerfilelint', async () => {
    const lint = Bun.spawn(['bunx', 'dockerfilelint', 'Dockerfile'], { cwd: root, stdout: 'pipe' })

    const report = await new Response(lint.stdout).text()

    expect({ exitCode: await lint.exited, report }).toEqual({
      exitCode: 0,
      report: expect.stringContaining('Issues: None found'),
    })
  })

  test('builds from a context with the sources and without tests or local data', () => {
    expect(context).toEqual(
      expect.arrayContaining(['src', 'drizzle', 'public', 'views', 'locales', 'scripts']),
    )
    expect(context).toEqual(expect.arrayContaining(['package.json', 'bun.lock', 'tsconfig.json']))
    expect(
      context.filter((name) => ['node_modules', 'test', '.git', 'data'].includes(name)),
    ).toEqual([])
  })

  test(
    'its CMD with its environment and production dependencies comes up, ' +
      'is healthy and ready, and stops cleanly',
    async () => {
      const env = await containerEnv()
      const server = await startServer(stage.cmd, env, imageDir)
      try {
        const health = await fetch(`${server.origin}/healthz`)
        const ready = await fetch(`${server.origin}/readyz`)
        const check = Bun.spawn(stage.healthcheck, { env, cwd: imageDir })

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
    },
    60_000,
  )
})
