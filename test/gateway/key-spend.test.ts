import { afterEach, expect, test } from 'bun:test'
import { ManualClock } from '../../src/lib/clock'
import { usageRow } from '../support/ledger'
import { gatewayTest, type GatewayTest } from './support'

let env: GatewayTest

afterEach(() => env.close())

const hour = 3_600_000

test(
  'GET /v1/key adds this process’s charges to what ' +
    'earlier ones recorded, by Myanmar day and month',
  async () => {
    // 06:00 UTC on 15 December is 12:30 in Yangon.
    const now = Date.UTC(2026, 11, 15, 6, 0)
    env = await gatewayTest({ clock: new ManualClock(now), balanceMmk: 100 })
    const other = await env.services.keys.create(env.accountId, 'other')
    const earlier = (at: number, units: number, keyId = env.keyId) =>
      usageRow({ accountId: env.accountId, keyId, chargedUnits: units, createdAt: at })
    await env.services.db.write((tx) =>
      tx
        .insert(env.services.db.t.usageRecords)
        .values([
          earlier(now - 2 * hour, 5_000),
          earlier(Date.UTC(2026, 11, 14, 17, 0), 7_000),
          earlier(Date.UTC(2026, 11, 1, 12, 0), 1_000),
          earlier(Date.UTC(2026, 10, 30, 17, 0), 9_000),
          earlier(now - hour, 1_111, other.id),
        ]),
    )

    await env.post('/v1/chat/completions', {
      model: 'demo/swift-chat',
      messages: [{ role: 'user', content: 'hi' }],
    })
    const charged = 100 * 10_000 - env.balance()
    const response = await env.app.handle(
      new Request('http://localhost/v1/key', { headers: { authorization: `Bearer ${env.key}` } }),
    )

    expect(charged).toBeGreaterThan(0)
    expect(await response.json()).toEqual({
      data: {
        name: 'laptop',
        balance_mmk: 100 - charged / 10_000,
        available_mmk: 100 - charged / 10_000,
        spend_today_mmk: (5_000 + charged) / 10_000,
        spend_month_mmk: (5_000 + 7_000 + 1_000 + charged) / 10_000,
      },
    })
  },
)
