/**
 * Work that outlives its request handler, such as a streamed answer. Shutdown lets it finish
 * within a grace period, then aborts it through its signal; the owner settles its hold on abort
 * and calls `done()` when its money is settled.
 */
export interface InFlightWork {
  /** Aborted when shutdown's grace period ends. */
  readonly signal: AbortSignal
  /** Call once, after the work's hold is settled or released. */
  done(): void
}

export class ShutdownAbort extends Error {
  constructor() {
    super('The server is shutting down.')
    this.name = 'ShutdownAbort'
  }
}

interface Entry {
  controller: AbortController
  finished: Promise<void>
}

export class InFlight {
  private readonly live = new Set<Entry>()
  private closing = false

  /** Starts tracking one piece of work. */
  begin(): InFlightWork {
    const controller = new AbortController()
    let finish!: () => void
    const entry: Entry = { controller, finished: new Promise((resolve) => (finish = resolve)) }
    this.live.add(entry)
    return {
      signal: controller.signal,
      done: () => {
        this.live.delete(entry)
        finish()
      },
    }
  }

  get count(): number {
    return this.live.size
  }

  /** True once shutdown has begun; readiness turns false so balancers stop sending work. */
  get shuttingDown(): boolean {
    return this.closing
  }

  /**
   * Waits up to `graceMs` for the work in flight, aborts what is left, then waits up to
   * `settleMs` for the aborted work to settle. Answers how much finished and how much was cut.
   */
  async drain(graceMs: number, settleMs: number) {
    this.closing = true
    const before = this.live.size
    await waitFor(this.allFinished(), graceMs)

    const cut = [...this.live]
    for (const entry of cut) entry.controller.abort(new ShutdownAbort())
    await waitFor(this.allFinished(), settleMs)
    return { finished: before - cut.length, aborted: cut.length, unsettled: this.live.size }
  }

  private allFinished() {
    return Promise.all([...this.live].map((entry) => entry.finished))
  }
}

async function waitFor(work: Promise<unknown>, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))
  await Promise.race([work, deadline])
  clearTimeout(timer)
}
