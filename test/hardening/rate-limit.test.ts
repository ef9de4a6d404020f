import { describe, expect, test } from 'bun:test'
import { clientAddress, UNKNOWN_ADDRESS } from '../../src/http/client-address'
import { ConcurrencyLimiter, RateLimiter } from '../../src/http/rate-limit'
import { ManualClock } from '../../src/lib/clock'

const limiter = (limit: number, maxKeys = 1000) => {
  const clock = new ManualClock()
  return { clock, limiter: new RateLimiter({ limit, windowMs: 60_000, maxKeys, clock }) }
}

const takeMany = (rate: RateLimiter, key: string, times: number) =>
  Array.from({ length: times }, () => rate.take(key).allowed)

describe('RateLimiter', () => {
  test('allows a burst of the limit, then refuses with the seconds until the next token', () => {
    const { limiter: rate } = limiter(3)

    const allowed = takeMany(rate, 'a', 3)
    const refused = rate.take('a')

    expect(allowed).toEqual([true, true, true])
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 20 })
  })

  test('a token given back can be spent again, but never past the limit', () => {
    const { limiter: rate } = limiter(2)
    rate.giveBack('a')
    takeMany(rate, 'a', 2)

    rate.giveBack('a')
    rate.giveBack('a')
    rate.giveBack('a')

    expect(takeMany(rate, 'a', 3)).toEqual([true, true, false])
  })

  test('refills evenly over the window', () => {
    const { clock, limiter: rate } = limiter(60)
    takeMany(rate, 'a', 60)

    clock.advance(999)
    const early = rate.take('a').allowed
    clock.advance(1)
    const onTime = rate.take('a').allowed

    expect([early, onTime]).toEqual([false, true])
  })

  test('keeps keys apart', () => {
    const { limiter: rate } = limiter(1)

    const results = [rate.take('a').allowed, rate.take('b').allowed, rate.take('a').allowed]

    expect(results).toEqual([true, true, false])
  })

  test('never remembers more than maxKeys, forgetting the least recently seen', () => {
    const { limiter: rate } = limiter(1, 100)
    rate.take('first')

    for (let i = 0; i < 10_000; i++) rate.take(`addr-${i}`)

    expect(rate.size).toBe(100)
    expect(rate.take('first').allowed).toBe(true)
    expect(rate.take('addr-9999').allowed).toBe(false)
  })

  test('forgets buckets idle for a whole window', () => {
    const { clock, limiter: rate } = limiter(5)
    for (let i = 0; i < 50; i++) rate.take(`addr-${i}`)

    clock.advance(60_000)
    rate.take('late')

    expect(rate.size).toBe(1)
  })
})

describe('ConcurrencyLimiter', () => {
  test('allows the limit at once, frees a slot on release, and forgets idle keys', () => {
    const running = new ConcurrencyLimiter(2)

    const first = running.acquire('k')
    const second = running.acquire('k')
    const third = running.acquire('k')
    first!()
    first!()
    const fourth = running.acquire('k')
    second!()
    fourth!()

    expect([Boolean(first), Boolean(second), Boolean(third), Boolean(fourth)]).toEqual([
      true,
      true,
      false,
      true,
    ])
    expect(running.size).toBe(0)
  })
})

describe('clientAddress', () => {
  const server = { requestIP: () => ({ address: '10.0.0.9', port: 1, family: 'IPv4' as const }) }
  const request = new Request('http://localhost/', {
    headers: { 'x-forwarded-for': '1.1.1.1, 2.2.2.2' },
  })

  test('ignores X-Forwarded-For unless trusted, then takes the entry our proxy appended', () => {
    const addresses = [
      clientAddress(request, server, false),
      clientAddress(request, server, true),
      clientAddress(new Request('http://localhost/'), null, false),
    ]

    expect(addresses).toEqual(['10.0.0.9', '2.2.2.2', UNKNOWN_ADDRESS])
  })
})
