import { afterAll, beforeAll, expect, test } from 'bun:test'
import { Browser, portalTestApp, type PortalTestApp } from './support'

let app: PortalTestApp

beforeAll(async () => {
  app = await portalTestApp()
})
afterAll(() => app.close())

/** A page opened with nothing but a copy of a session cookie, as whoever took it would. */
const withCopiedCookie = (test: PortalTestApp, token: string) =>
  test.app.handle(
    new Request('http://localhost/keys', { headers: { cookie: `sg_session=${token}` } }),
  )

test('a session cookie copied before sign-out stops working, after a restart too', async () => {
  const account = await app.services.accounts.create({ name: 'Ko Ko' })
  const [laptop, phone] = [new Browser(app, 'en'), new Browser(app, 'en')]
  await laptop.signInAs(account)
  await phone.signInAs(account)
  const copied = laptop.cookies.get('sg_session')!

  const before = await withCopiedCookie(app, copied)
  await laptop.post('/signout', {})
  const after = await withCopiedCookie(app, copied)
  const restarted = await portalTestApp({ database: app.database, clock: app.clock })
  const afterRestart = await withCopiedCookie(restarted, copied)
  await restarted.close()

  expect([before.status, after.status, afterRestart.status]).toEqual([200, 303, 303])
  expect(after.headers.get('location')).toStartWith('/signin')
  expect((await phone.get('/keys')).status).toBe(200)
})

test('an ended session is forgotten once it would have expired anyway', async () => {
  const revocations = app.services.revokedSessions
  const now = app.clock.now()

  await revocations.end('ended-long-ago', now - 1)
  await revocations.end('ends-later', now + 60_000)

  expect(revocations.isEnded('ended-long-ago')).toBe(false)
  expect(revocations.isEnded('ends-later')).toBe(true)
})
