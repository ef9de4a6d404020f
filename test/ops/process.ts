import { join } from 'node:path'
import type { Subprocess } from 'bun'

/** A server started as its own process, with its log lines parsed as they arrive. */
export interface ServerProcess {
  process: Subprocess<'ignore', 'pipe', 'pipe'>
  origin: string
  events: Record<string, unknown>[]
  /** Everything the process wrote, for leak checks and failure messages. */
  output(): string
}

/** Starts `command` and waits for its `listening` line (or fails with what it printed). */
export async function startServer(
  command: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<ServerProcess> {
  const child = Bun.spawn(command, { env, cwd, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
  const events: Record<string, unknown>[] = []
  let text = ''
  let errors = ''
  let pending = ''
  void readAll(child.stderr, (piece) => (errors += piece))
  void readAll(child.stdout, (piece) => {
    text += piece
    const lines = (pending + piece).split('\n')
    pending = lines.pop()!
    for (const line of lines) if (line.startsWith('{')) events.push(JSON.parse(line))
  })

  const output = () => text + errors
  const deadline = Date.now() + 20_000
  for (;;) {
    const ready = events.find((event) => event.event === 'listening')
    if (ready) {
      const port = new URL(String(ready.url)).port
      return { process: child, origin: `http://127.0.0.1:${port}`, events, output }
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server did not start (exit ${child.exitCode}):\n${output()}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/**
 * This checkout's `bun src/index.ts` as production runs it, on loopback and a free port, with
 * `settings` (the database, the data folder, the keys, the upstream) on top.
 */
export function startProductionServer(settings: Record<string, string>): Promise<ServerProcess> {
  const env = {
    PATH: Bun.env.PATH ?? '',
    HOME: Bun.env.HOME ?? '',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(freePort()),
    ...settings,
  }
  return startServer(['bun', 'src/index.ts'], env, join(import.meta.dir, '../..'))
}

/** A port nothing listens on right now. */
export function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() })
  const port = probe.port!
  probe.stop(true)
  return port
}

async function readAll(stream: ReadableStream<Uint8Array>, onText: (text: string) => void) {
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    onText(decoder.decode(value, { stream: true }))
  }
}
