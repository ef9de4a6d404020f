import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { localUpstream, type LocalUpstream } from '../gateway/support'
import { startProductionServer, type ServerProcess } from '../ops/process'
import { freshDatabaseUrl } from '../support/database'

// Over real sockets, since Bun's own body cap only applies to a listening server: every body
// too large, declared or not, gets an answer in its caller's format, never Bun's empty 413.

const ADMIN = 'body-size-admin-key-0123456789abcdef'
const LIMIT = 1024 * 1024

let upstream: LocalUpstream
let database: { url: string; drop: () => Promise<void> }
let dataDir: string
let server: ServerProcess
let apiKey: string

beforeAll(async () => {
  upstream = localUpstream(() => Response.json({ error: { code: 500, message: 'unused' } }))
  database = await freshDatabaseUrl()
  dataDir = mkdtempSync(join(tmpdir(), 'sargalay-body-size-'))
  server = await startProductionServer({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    ADMIN_KEY: ADMIN,
    JWT_SECRET: 'body-size-jwt-secret-0123456789abcdef',
    UPSTREAM_BASE_URL: upstream.target.baseUrl,
    UPSTREAM_API_KEY: 'sk-or-v1-body-size-upstream-key',
    MAX_BODY_BYTES: String(LIMIT),
  })
  const user = await admin('POST', '/admin/users', { name: 'Thiri' })
  apiKey = (await admin('POST', `/admin/users/${user.id}/keys`, { name: 'big' })).key
})

afterAll(async () => {
  server?.process.kill('SIGKILL')
  await server?.process.exited
  await upstream.stop()
  await database.drop()
  rmSync(dataDir, { recursive: true, force: true })
})

async function admin(method: string, path: string, body: unknown) {
  const response = await fetch(server.origin + path, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return response.json()
}

/** A body of `bytes` that arrives in pieces, with no declared length (chunked). */
function chunked(bytes: number) {
  const piece = new Uint8Array(64 * 1024).fill(32)
  let left = bytes
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left <= 0) return controller.close()
      const size = Math.min(left, piece.length)
      left -= size
      controller.enqueue(piece.slice(0, size))
    },
  })
}

async function send(path: string, body: BodyInit, headers: Record<string, string> = {}) {
  const response = await fetch(server.origin + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...headers },
    body,
  })
  const text = await response.text()
  return {
    status: response.status,
    requestId: response.headers.get('x-request-id'),
    type: response.headers.get('content-type'),
    code: text.startsWith('{') ? JSON.parse(text).error?.code : undefined,
    text,
  }
}

describe('bodies over MAX_BODY_BYTES, over real sockets', () => {
  test('a declared length far over the limit gets an OpenAI error on /v1', async () => {
    const bodies = [LIMIT + 1, 80 * LIMIT].map((bytes) => 'x'.repeat(bytes))

    const answers = await Promise.all(bodies.map((body) => send('/v1/chat/completions', body)))

    for (const answer of answers) {
      expect([answer.status, answer.code]).toEqual([413, 'request_too_large'])
      expect(answer.requestId).toBeTruthy()
    }
  })

  test('a chunked body over the limit is counted and refused on /v1', async () => {
    const answer = await send('/v1/chat/completions', chunked(8 * LIMIT))

    expect([answer.status, answer.code]).toEqual([413, 'request_too_large'])
  })

  test('a chunked body under the limit on /v1 is read as usual', async () => {
    const answer = await send('/v1/chat/completions', chunked(1000))

    // Spaces are not JSON: the body was read whole and then refused for what it says.
    expect([answer.status, answer.code]).toEqual([400, 'invalid_json'])
  })

  test('a chunked body where routes parse bodies whole is a 411, in JSON or a page', async () => {
    const json = await send('/admin/users', chunked(10), { authorization: `Bearer ${ADMIN}` })
    const page = await send('/keys', chunked(10), { 'accept-language': 'my' })

    expect([json.status, json.code]).toEqual([411, 'length_required'])
    expect(page.status).toBe(411)
    expect(page.type).toContain('text/html')
    expect(page.text).toContain('အရွယ်အစား')
  })

  test('payment callbacks are counted too: chunked is read, too much is refused', async () => {
    const small = await send('/webhooks/mmpay', chunked(200))
    const large = await send('/webhooks/mmpay', chunked(4 * LIMIT))

    // Read and then refused for its signature, not for how it was sent.
    expect([small.status, small.code]).toEqual([401, 'invalid_signature'])
    expect([large.status, large.code]).toEqual([413, 'request_too_large'])
  })

  test('the server still answers afterwards', async () => {
    const health = await fetch(`${server.origin}/healthz`)

    expect(health.status).toBe(200)
  })
})
