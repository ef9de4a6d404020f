import { describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, loadConfig } from '../../src/config'

const dataDir = () => mkdtempSync(join(tmpdir(), 'sargalay-config-'))

describe('configuration', () => {
  test('defaults describe the embedded local setup', () => {
    const config = loadConfig({ DATA_DIR: dataDir() })

    expect({
      port: config.PORT,
      host: config.HOST,
      database: config.DATABASE_URL,
      upstream: config.UPSTREAM_BASE_URL,
      upstreamKey: config.UPSTREAM_API_KEY,
    }).toEqual({
      port: 3000,
      host: '127.0.0.1',
      database: './data/sargalay.db',
      upstream: 'https://openrouter.ai/api/v1',
      upstreamKey: undefined,
    })
  })

  test('one error lists every bad variable and why', () => {
    const env = { DATA_DIR: dataDir(), PORT: 'eighty', PRICE_MARKUP: '0.5', LOG_LEVEL: 'loud' }

    const error = (() => {
      try {
        loadConfig(env)
      } catch (caught) {
        return caught
      }
    })()

    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).problems).toEqual([
      'PORT must be a whole number, got "eighty"',
      'LOG_LEVEL must be one of debug, info, warn, error, silent, got "loud"',
      'PRICE_MARKUP must be between 1 and 100',
    ])
  })

  test('production refuses to start without its secrets', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), NODE_ENV: 'production' })).toThrow(
      /ADMIN_KEY is required when NODE_ENV=production[\s\S]*JWT_SECRET is required/,
    )
  })

  test('bad URLs and short secrets are refused', () => {
    expect(() =>
      loadConfig({ DATA_DIR: dataDir(), UPSTREAM_BASE_URL: 'ftp://x', ADMIN_KEY: 'short' }),
    ).toThrow(/UPSTREAM_BASE_URL must be an http\(s\) URL[\s\S]*ADMIN_KEY must be 16\+/)
  })

  test('local secrets are generated once and kept in the data folder', () => {
    const dir = dataDir()

    const first = loadConfig({ DATA_DIR: dir })
    const second = loadConfig({ DATA_DIR: dir })

    expect(first.generatedSecrets).toEqual(['ADMIN_KEY', 'JWT_SECRET'])
    expect(second.ADMIN_KEY).toBe(first.ADMIN_KEY)
    expect(second.JWT_SECRET).toBe(first.JWT_SECRET)
    const stored = JSON.parse(readFileSync(join(dir, 'local-secrets.json'), 'utf8'))
    expect(stored.ADMIN_KEY).toBe(first.ADMIN_KEY)
  })

  test('configured secrets are used and nothing is written', () => {
    const dir = dataDir()

    const config = loadConfig({
      DATA_DIR: dir,
      ADMIN_KEY: 'an-admin-key-long-enough',
      JWT_SECRET: 'a-jwt-secret-long-enough',
    })

    expect(config.generatedSecrets).toEqual([])
    expect(existsSync(join(dir, 'local-secrets.json'))).toBe(false)
  })
})
