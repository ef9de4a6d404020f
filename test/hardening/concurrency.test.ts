import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mmkToUnits } from '../../src/ledger/money'
import {
  gatewayTest,
  localUpstream,
  sse,
  type GatewayTest,
  type LocalUpstream,
} from '../gateway/support'
import { admin } from '../support/app'
import { audit } from '../support/ledger'
import { duplicateReferences } from './support/checks'
import { Random, runSeed } from './support/random'

// Many accounts' requests, credits, key revocations and setting changes, interleaved at random
// (seeded). The upstream sometimes reports more prompt tokens than the hold assumed, the one way
// a request may cost more than its hold; the balance may then dip, but never past the bound.

const seed = runSeed(7_2026)
const ACCOUNTS = 6
const WORKERS_PER_ACCOUNT = 3
const OPERATIONS = 500
const MODEL = 'demo/swift-chat'
/** Tokens the upstream may report beyond the hold's estimate of the prompt. */
const EXTRA_TOKENS = 600
const MAX_RATE = 6000
const MAX_MARKUP = 1.5
/** demo/swift-chat's prompt price is 150 nano-USD a token. */
const maxExcessUnits = Math.ceil(((EXTRA_TOKENS + 50) * 150 * MAX_RATE * MAX_MARKUP * 10_000) / 1e9)

let env: GatewayTest
let upstream: LocalUpstream

beforeAll(async () => {
  const random = new Random(seed + 99)
  upstream = localUpstream(async (request) => {
    const text = await request.text()
    const body = JSON.parse(text)
    const promptTokens =
      Math.ceil(text.length / 3) + (random.chance(0.4) ? random.int(EXTRA_TOKENS) : 0)
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: random.int(body.max_tokens + 1),
      total_tokens: 0,
    }
    if (!body.stream) {
      return Response.json({
        id: 'gen-c',
        object: 'chat.completion',
        created: 1,
        model: MODEL,
        choices: [
          { index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' },
        ],
        usage,
      })
    }
    const events = sse(
      {
        id: 'gen-c',
        object: 'chat.completion.chunk',
        created: 1,
        model: MODEL,
        choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: null }],
      },
      {
        id: 'gen-c',
        object: 'chat.completion.chunk',
        created: 1,
        model: MODEL,
        choices: [],
        usage,
      },
      '[DONE]' as never,
    )
    return new Response(events, { headers: { 'content-type': 'text/event-stream' } })
  })
  env = await gatewayTest({
    upstream: upstream.target,
    balanceMmk: 0,
    env: { GENERATION_LOOKUP_TRIES: '0' },
  })
})

afterAll(async () => {
  await env.close()
  await upstream.stop()
})

interface Account {
  id: string
  keys: string[]
  keyIds: string[]
}

describe(`randomized interleaving (seed ${seed})`, () => {
  test(
    'no balance passes its overdraft bound, ' + 'every acknowledged credit lands, the audit passes',
    async () => {
      const random = new Random(seed)
      const accounts: Account[] = []
      for (let i = 0; i < ACCOUNTS; i++) {
        const created = await admin(env.app, 'POST', '/admin/users', { name: `Acct ${i}` })
        await admin(env.app, 'POST', `/admin/users/${created.body.id}/credits`, {
          amount_mmk: random.int(3) + 0.5,
          reason: 'start',
        })
        const key = await admin(env.app, 'POST', `/admin/users/${created.body.id}/keys`, {
          name: 'k',
        })
        accounts.push({ id: created.body.id, keys: [key.body.key], keyIds: [key.body.id] })
      }
      const credited = new Map(accounts.map((a) => [a.id, 0]))
      const statuses = new Map<number, number>()
      let lowest = 0
      let remaining = OPERATIONS

      const watchBalances = () => {
        for (const account of accounts)
          lowest = Math.min(lowest, env.services.ledger.fundsOf(account.id).balanceUnits)
      }

      const operation = async (account: Account) => {
        const roll = random.int(100)
        if (roll < 70) {
          const key = random.pick(account.keys)
          const response = await env.post(
            '/v1/chat/completions',
            {
              model: MODEL,
              messages: [{ role: 'user', content: 'x'.repeat(random.int(400)) }],
              max_tokens: random.int(200) + 1,
              stream: random.chance(0.5),
            },
            { authorization: `Bearer ${key}` },
          )
          await response.text()
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
        } else if (roll < 85) {
          const amount = random.int(200) / 100 + 0.01
          const answer = await admin(env.app, 'POST', `/admin/users/${account.id}/credits`, {
            amount_mmk: amount,
            reason: 'top',
          })
          if (answer.status === 200)
            credited.set(account.id, credited.get(account.id)! + mmkToUnits(amount))
        } else if (roll < 93) {
          if (account.keyIds.length > 1 || random.chance(0.5)) {
            const at = random.int(account.keyIds.length)
            await admin(env.app, 'DELETE', `/admin/keys/${account.keyIds[at]}`)
          }
          const key = await admin(env.app, 'POST', `/admin/users/${account.id}/keys`, { name: 'k' })
          account.keys.push(key.body.key)
          account.keyIds.push(key.body.id)
        } else {
          await admin(env.app, 'PATCH', '/admin/settings', {
            usd_to_mmk_rate: 3000 + random.int(MAX_RATE - 3000),
            price_markup: 1 + random.int(50) / 100,
          })
        }
        watchBalances()
      }

      const worker = async (account: Account) => {
        while (remaining-- > 0) await operation(account)
      }
      const balancesBefore = new Map(
        accounts.map((a) => [a.id, env.services.ledger.fundsOf(a.id).balanceUnits]),
      )
      await Promise.all(
        accounts.flatMap((account) =>
          Array.from({ length: WORKERS_PER_ACCOUNT }, () => worker(account)),
        ),
      )
      await waitFor(() => env.services.ledger.openHolds().length === 0)
      watchBalances()

      const charges = await chargesByAccount()
      const mismatched = accounts.filter(
        (a) =>
          env.services.ledger.fundsOf(a.id).balanceUnits !==
          balancesBefore.get(a.id)! + credited.get(a.id)! - (charges.get(a.id) ?? 0),
      )

      expect(lowest).toBeGreaterThanOrEqual(-WORKERS_PER_ACCOUNT * maxExcessUnits)
      expect(mismatched.map((a) => a.id)).toEqual([])
      expect(await duplicateReferences(env.services)).toEqual([])
      expect(await audit(env.services)).toEqual([])
      expect(statuses.get(200)).toBeGreaterThan(0)
      expect(statuses.get(402)).toBeGreaterThan(0)
    },
    60_000,
  )
})

async function chargesByAccount() {
  await env.services.ledger.flush()
  const rows = await env.services.db.orm.select().from(env.services.db.t.usageRecords)
  const totals = new Map<string, number>()
  for (const row of rows)
    totals.set(row.accountId, (totals.get(row.accountId) ?? 0) + row.chargedUnits)
  return totals
}

async function waitFor(condition: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await Bun.sleep(2)
  }
}
