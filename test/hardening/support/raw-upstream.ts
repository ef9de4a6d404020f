import type { Socket, TCPSocketListener } from 'bun'
import { demoModels, listedModel } from '../../../src/gateway/demo/models'
import type { UpstreamTarget } from '../../../src/services'

export const UPSTREAM_KEY = 'sk-or-v1-hardening-upstream-secret-42'

/** One upstream request as the raw server read it. */
export interface RawRequest {
  path: string
  headers: string
  body: string
}

/** Writes HTTP by hand, so a scenario can stall, cut the connection or send broken bytes. */
export class RawReply {
  constructor(readonly socket: Socket<SocketState>) {}

  head(status: number, headers: Record<string, string>) {
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`)
    this.socket.write(`HTTP/1.1 ${status} X\r\n${lines.join('')}\r\n`)
  }

  /** A whole answer with its length, then the connection closes. */
  whole(status: number, body: string, headers: Record<string, string> = {}) {
    const bytes = Buffer.byteLength(body)
    this.head(status, {
      'content-type': 'application/json',
      'content-length': String(bytes),
      connection: 'close',
      ...headers,
    })
    this.socket.write(body)
    this.socket.end()
  }

  /** Starts a chunked answer: its end is explicit, so a cut connection is an error, not an end. */
  startChunked(contentType: string, headers: Record<string, string> = {}) {
    this.head(200, {
      'content-type': contentType,
      'transfer-encoding': 'chunked',
      connection: 'close',
      ...headers,
    })
  }

  chunk(data: string | Uint8Array) {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data
    this.socket.write(`${bytes.length.toString(16)}\r\n`)
    this.socket.write(bytes)
    this.socket.write('\r\n')
  }

  endChunked() {
    this.socket.write('0\r\n\r\n')
    this.socket.end()
  }

  /** Drops the connection at once, mid-answer. */
  reset() {
    this.socket.terminate()
  }
}

export type Scenario = (reply: RawReply, request: RawRequest) => void | Promise<void>

interface SocketState {
  buffer: Buffer
  handled: boolean
}

/**
 * A local upstream on a raw TCP listener (`Bun.listen`). It answers the model lists itself and
 * hands every other request to `scenario`, which the test swaps per case.
 */
export class RawUpstream {
  scenario: Scenario = (reply) => reply.whole(500, '{}')
  /** Connections the gateway closed while a scenario held them open. */
  closedByPeer = 0
  readonly requests: RawRequest[] = []
  private readonly listener: TCPSocketListener<SocketState>

  constructor() {
    this.listener = Bun.listen<SocketState>({
      hostname: '127.0.0.1',
      port: 0,
      socket: {
        open: (socket) => void (socket.data = { buffer: Buffer.alloc(0), handled: false }),
        data: (socket, chunk) => this.receive(socket, chunk),
        close: (socket) => {
          if (socket.data.handled) this.closedByPeer++
        },
        error: () => {},
      },
    })
  }

  get target(): UpstreamTarget {
    return {
      baseUrl: `http://127.0.0.1:${this.listener.port}/api/v1`,
      apiKey: UPSTREAM_KEY,
      demo: false,
    }
  }

  stop() {
    this.listener.stop(true)
  }

  private receive(socket: Socket<SocketState>, chunk: Buffer) {
    const state = socket.data
    if (state.handled) return
    state.buffer = Buffer.concat([state.buffer, chunk])
    const headEnd = state.buffer.indexOf('\r\n\r\n')
    if (headEnd < 0) return
    const head = state.buffer.subarray(0, headEnd).toString()
    const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0)
    if (state.buffer.length < headEnd + 4 + length) return

    state.handled = true
    const path = head.split(' ')[1] ?? '/'
    const body = state.buffer.subarray(headEnd + 4, headEnd + 4 + length).toString()
    const reply = new RawReply(socket)
    if (path.endsWith('/models')) return reply.whole(200, modelList(path))
    this.requests.push({ path, headers: head, body })
    void this.scenario(reply, { path, headers: head, body })
  }
}

function modelList(path: string) {
  const kind = path.endsWith('/embeddings/models') ? 'embedding' : 'chat'
  const data = demoModels.filter((m) => m.kind === kind).map((m) => listedModel(m, 1_764_547_200))
  return JSON.stringify({ data, total_count: data.length, links: { next: null } })
}
