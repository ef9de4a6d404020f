import { afterEach, expect, test } from 'bun:test'
import { demoCharge, gatewayTest, type GatewayTest } from './support'

let env: GatewayTest

afterEach(() => env.close())

test(
  'proxied requests are counted by route, ' + 'status and model, with charge and stream gauges',
  async () => {
    env = await gatewayTest()
    const ask = { model: 'demo/swift-chat', messages: [{ role: 'user', content: 'hi' }] }

    const whole = await (await env.post('/v1/chat/completions', ask)).json()
    await (await env.post('/v1/chat/completions', { ...ask, stream: true })).text()
    await env.post('/v1/chat/completions', { ...ask, model: 'nobody/nothing' })

    const text = env.services.metrics.render()
    const series = (name: string) =>
      text.split('\n').filter((line) => line.startsWith(name) && !line.includes('_bucket'))
    const each = demoCharge(
      'demo/swift-chat',
      whole.usage.prompt_tokens,
      whole.usage.completion_tokens,
    )
    expect(series('sargalay_gateway_requests_total')).toEqual([
      'sargalay_gateway_requests_total{model="demo/swift-chat",' +
        'route="/v1/chat/completions",status="200"} 2',
      'sargalay_gateway_requests_total{model="",route="/v1/chat/completions",status="404"} 1',
    ])
    expect(series('sargalay_gateway_charged_mmk_total')).toEqual([
      `sargalay_gateway_charged_mmk_total{model="demo/swift-chat"} ${(2 * each) / 10_000}`,
    ])
    expect(series('sargalay_gateway_streams_in_flight')).toEqual([
      'sargalay_gateway_streams_in_flight 0',
    ])
    expect(series('sargalay_gateway_upstream_ttfb_seconds_count')).toEqual([
      'sargalay_gateway_upstream_ttfb_seconds_count{route="/v1/chat/completions"} 2',
    ])
  },
)
