import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { buildTestApp, type TestApp } from '../support/app'
import { launchChromium } from '../support/browser'

let test_: TestApp
let document: {
  openapi: string
  paths: Record<string, Record<string, Operation>>
}

interface Operation {
  summary?: string
  requestBody?: unknown
  responses?: Record<string, unknown>
}

beforeAll(async () => {
  test_ = await buildTestApp()
  const response = await test_.app.handle(new Request('http://localhost/docs/json'))
  document = await response.json()
})

afterAll(async () => {
  await test_.close()
})

function operations() {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      name: `${method} ${path}`,
      operation,
    })),
  )
}

describe('the OpenAPI document at /docs/json', () => {
  test('is valid OpenAPI 3.1', async () => {
    const validator = new Validator()

    const result = await validator.validate(document)

    expect(result.errors).toBeUndefined()
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  test('describes the admin and top-up APIs, health and metrics, and no portal page', () => {
    const paths = Object.keys(document.paths)

    expect(paths).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/readyz',
        '/metrics',
        '/admin/users',
        '/admin/users/{id}',
        '/admin/users/{id}/credits',
        '/admin/users/{id}/keys',
        '/admin/keys/{id}',
        '/admin/users/{id}/usage',
        '/admin/settings',
        '/billing/topups',
        '/billing/topups/{id}',
      ]),
    )
    expect(
      paths.filter((path) => !/^\/(v1|admin|billing|webhooks|healthz|readyz|metrics)\b/.test(path)),
    ).toEqual([])
  })

  test('gives every operation a summary, its request body and its error answers', () => {
    const gaps = operations().flatMap(({ name, operation }) => {
      const found: string[] = []
      if (!operation.summary) found.push(`${name}: no summary`)
      // A write takes a body, or names what it acts on in its path (POST …/{id}/resolve).
      const takesInput = operation.requestBody || name.includes('{')
      if (/^(post|put|patch) /.test(name) && !takesInput) found.push(`${name}: no input`)
      const statuses = Object.keys(operation.responses ?? {})
      if (!statuses.some((status) => /^[45]/.test(status))) found.push(`${name}: no errors`)
      return found
    })

    expect(gaps).toEqual([])
  })

  test('requires the admin key on admin routes and the metrics', () => {
    const admin = operations().filter(({ name }) => / \/(admin|metrics)/.test(name))

    const unguarded = admin.filter(({ operation }) => !('401' in (operation.responses ?? {})))

    expect(admin.length).toBeGreaterThan(5)
    expect(unguarded.map(({ name }) => name)).toEqual([])
  })
})

describe('the docs page at /docs', () => {
  test('renders the API in a browser with no network beyond this server', async () => {
    const server = test_.app.listen({ port: 0, hostname: '127.0.0.1' })
    const origin = `http://127.0.0.1:${server.server!.port}`
    const browser = await launchChromium()
    const elsewhere: string[] = []
    try {
      const page = await browser.newPage()
      await page.route('**/*', (route) => {
        if (route.request().url().startsWith(origin)) return route.continue()
        elsewhere.push(route.request().url())
        return route.abort()
      })

      await page.goto(`${origin}/docs`)
      const title = await page.locator('.swagger-ui .info .title').textContent({ timeout: 15_000 })
      // An operation with two tags is drawn under both; compare the distinct ones.
      const shown = await page.$$eval('.opblock', (blocks) =>
        blocks.map((block) => {
          const method = block.querySelector('.opblock-summary-method')?.textContent ?? ''
          const path = block.querySelector('.opblock-summary-path')?.getAttribute('data-path')
          return `${method.toLowerCase()} ${path}`
        }),
      )

      expect(title).toContain('Sargalay API')
      expect([...new Set(shown)].sort()).toEqual(
        operations()
          .map(({ name }) => name)
          .sort(),
      )
      expect(elsewhere).toEqual([])
    } finally {
      await browser.close()
      await test_.app.stop(true)
    }
  }, 60_000)
})
