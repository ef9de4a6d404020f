import { expect, test } from 'bun:test'
import { buildTestApp } from '../support/app'

test(
  'without an upstream key the demo upstream answers, ' + 'announced in the log, until shutdown',
  async () => {
    const env = await buildTestApp()
    const { upstream } = env.services

    const models = await (await fetch(`${upstream.baseUrl}/models`)).json()
    const warned = env.logs.some((line) => line.includes('"event":"demo_upstream"'))
    await env.close()
    const afterStop = await fetch(`${upstream.baseUrl}/models`).catch(() => 'down')

    expect(upstream.demo).toBe(true)
    expect(upstream.apiKey).toBeUndefined()
    expect(models.data.map((model: { id: string }) => model.id)).toEqual([
      'demo/swift-chat',
      'demo/deep-chat',
      'demo/free-chat:free',
      'demo/auto',
    ])
    expect(warned).toBe(true)
    expect(afterStop).toBe('down')
  },
)

test('with an upstream key the configured upstream is used and no demo starts', async () => {
  const env = await buildTestApp({
    env: { UPSTREAM_API_KEY: 'sk-or-v1-real', UPSTREAM_BASE_URL: 'http://127.0.0.1:1/api/v1' },
  })

  const { upstream } = env.services
  await env.close()

  expect(upstream).toEqual({
    baseUrl: 'http://127.0.0.1:1/api/v1',
    apiKey: 'sk-or-v1-real',
    demo: false,
  })
  expect(env.logs.some((line) => line.includes('demo_upstream'))).toBe(false)
})
