import { readdirSync, readFileSync, writeFileSync } from 'node:fs'

/** A server process the suite started, with the pid of the process that does the work. */
export interface ServerProcess {
  url: string
  /** The serving process: for `bun run start`, the child that runs the app. */
  pid: number
  /** Milliseconds from spawn until the server answered its readiness check. */
  startMs: number
  stop(): Promise<void>
}

export interface SpawnOptions {
  cmd: string[]
  env?: Record<string, string>
  /** Given the base URL, a path that answers 200 once the server is ready. */
  readyPath?: string
  /** Fixed URL when the process does not print `listening <url>`. */
  url?: string
  /** Sends output to this file instead of the suite, so a chatty server costs the suite nothing. */
  logFile?: string
  /** A word in the command line of the descendant that does the work. */
  worker?: string
  /** Where to run it; the repository by default. */
  cwd?: string
  timeoutMs?: number
}

const root = new URL('../..', import.meta.url).pathname

export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  const started = performance.now()
  const log = options.logFile ? Bun.file(options.logFile) : undefined
  const child = Bun.spawn(options.cmd, {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env },
    stdout: log ?? 'pipe',
    stderr: log ?? 'pipe',
  })
  const stdout = child.stdout as ReadableStream<Uint8Array>
  const stderr = log
    ? { text: () => tail(options.logFile!) }
    : collect(child.stderr as ReadableStream<Uint8Array>)
  const url = options.url ?? (await announcedUrl(stdout, stderr))
  if (options.url && !log) void collect(stdout)
  const stop = async () => {
    child.kill('SIGTERM')
    const exited = await Promise.race([child.exited, Bun.sleep(10_000).then(() => null)])
    if (exited === null) child.kill('SIGKILL')
  }

  try {
    await waitUntilReady(url + (options.readyPath ?? ''), options.timeoutMs ?? 60_000, child)
  } catch (error) {
    await stop()
    throw new Error(`${options.cmd.join(' ')} did not start: ${error}\n${stderr.text()}`)
  }
  const startMs = performance.now() - started
  const pid = options.worker ? (descendant(child.pid, options.worker) ?? child.pid) : child.pid
  return { url, pid, startMs, stop }
}

function tail(path: string) {
  return readOr(path).slice(-4000)
}

function collect(stream: ReadableStream<Uint8Array>) {
  let text = ''
  const done = (async () => {
    const decoder = new TextDecoder()
    const reader = stream.getReader()
    while (true) {
      const { value, done } = await reader.read()
      if (done) return
      text = (text + decoder.decode(value)).slice(-20_000)
    }
  })()
  return { text: () => text, done }
}

async function announcedUrl(stdout: ReadableStream<Uint8Array>, stderr: { text(): string }) {
  const decoder = new TextDecoder()
  let seen = ''
  const reader = stdout.getReader()
  while (true) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`exited before listening: ${seen}${stderr.text()}`)
    seen += decoder.decode(value)
    const match = /listening (\S+)/.exec(seen)
    if (match) {
      void drain(reader)
      return match[1]!
    }
  }
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>) {
  while (!(await reader.read()).done);
}

async function waitUntilReady(url: string, timeoutMs: number, child: { exitCode: number | null }) {
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`)
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    )
    if (ok) return
    await Bun.sleep(5)
  }
  throw new Error(`not ready within ${timeoutMs} ms`)
}

/** The first process below `pid` whose command line contains `word`. */
export function descendant(pid: number, word: string): number | undefined {
  const children = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  const parentOf = new Map<number, number>()
  for (const name of children) {
    const stat = readOr(`/proc/${name}/stat`)
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    parentOf.set(Number(name), ppid)
  }
  const below = (candidate: number): boolean => {
    const parent = parentOf.get(candidate)
    return parent === pid || (parent !== undefined && parent > 1 && below(parent))
  }
  return [...parentOf.keys()].find(
    (candidate) =>
      below(candidate) && readOr(`/proc/${candidate}/cmdline`).replaceAll('\0', ' ').includes(word),
  )
}

function readOr(path: string) {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

/** Resident memory of a process in MB: now, and the peak since start or the last reset. */
export function memoryOf(pid: number) {
  const status = readOr(`/proc/${pid}/status`)
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 }
}

/** Starts a new peak-RSS measurement (Linux `clear_refs` value 5); false when not allowed. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}
