import type { WritePlan } from './write-plan'

export type ThreadRequest =
  | { id: number; kind: 'open'; url: string; isPostgres: boolean }
  /** The plan as JSON: cheaper to post than the structured clone of many small objects. */
  | { id: number; kind: 'apply'; plan: string }
  | { id: number; kind: 'read'; text: string; params: unknown[] }
  | { id: number; kind: 'close' }

export interface ThreadReply {
  id: number
  /** A read's rows, as arrays in the order of its columns. */
  rows?: unknown[][]
  error?: { message: string; code?: string }
}

/** A write the writer thread refused, with SQLite's error code when there was one. */
export class ThreadError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message)
    this.name = 'ThreadError'
  }
}

// Bun's Worker can be ref'd and unref'd like a timer; the DOM typings do not know it.
type BunWorker = Worker & { ref(): void; unref(): void }

type Pending = { resolve: (reply: ThreadReply) => void; reject: (error: Error) => void }

/**
 * The main thread's handle on a database thread (./database-thread-worker.ts): the writer
 * thread that runs the group commit, or the reader thread for slow aggregates. Requests run in
 * the order they are sent; each answer settles the promise of its request.
 */
export class DatabaseThread {
  // Both set by spawn(), from the constructor on.
  private worker!: BunWorker
  private opened!: Promise<void>
  private readonly pending = new Map<number, Pending>()
  private nextId = 0
  private closed = false

  /** Starts the thread, which opens its own connection at once. */
  constructor(
    private readonly databaseUrl: string,
    private readonly isPostgres: boolean,
  ) {
    this.spawn()
  }

  /**
   * A thread that dies (it should not: every request it handles answers, error or not) fails
   * what was in flight, which its callers retry (the journal does), and is replaced.
   */
  private spawn() {
    const script = new URL('./database-thread-worker.ts', import.meta.url).href
    const worker = new Worker(script) as BunWorker
    worker.onmessage = (event: MessageEvent<ThreadReply>) => this.answer(event.data)
    worker.onerror = (event) => this.replace(worker, event.message)
    worker.addEventListener('close', () => this.replace(worker, 'the database thread exited'))
    this.worker = worker
    const open = { kind: 'open', url: this.databaseUrl, isPostgres: this.isPostgres } as const
    this.opened = this.send(open).then(() => {})
    this.opened.catch(() => {})
  }

  private replace(dead: BunWorker, why: string) {
    if (this.closed || dead !== this.worker) return
    for (const waiting of this.pending.values()) waiting.reject(new ThreadError(why))
    this.pending.clear()
    dead.unref()
    this.spawn()
  }

  /** Resolves once the thread has its connection; a process waits for it before serving. */
  ready(): Promise<void> {
    return this.opened
  }

  async apply(plan: WritePlan): Promise<void> {
    await this.send({ kind: 'apply', plan: JSON.stringify(plan) })
  }

  /** Runs one query; its rows come back as arrays, in the order of its columns. */
  async read(text: string, params: unknown[]): Promise<unknown[][]> {
    return (await this.send({ kind: 'read', text, params })).rows ?? []
  }

  async close() {
    if (this.closed) return
    await this.send({ kind: 'close' }).catch(() => {})
    this.closed = true
    this.worker.terminate()
  }

  private send(request: DistributiveOmit<ThreadRequest, 'id'>): Promise<ThreadReply> {
    if (this.closed) return Promise.reject(new ThreadError('the database thread is closed'))
    const worker = this.worker
    const id = ++this.nextId
    const done = new Promise<ThreadReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
    })
    // Idle, the thread must not keep a finished process alive; work in flight does.
    if (this.pending.size === 1) worker.ref()
    worker.postMessage({ ...request, id })
    return done
  }

  private answer(reply: ThreadReply) {
    const waiting = this.pending.get(reply.id)
    if (!waiting) return
    this.pending.delete(reply.id)
    if (this.pending.size === 0) this.worker.unref()
    if (reply.error) waiting.reject(new ThreadError(reply.error.message, reply.error.code))
    else waiting.resolve(reply)
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
