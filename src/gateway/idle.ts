import { UpstreamTimeout } from './upstream-call'

export interface IdleWatch {
  /** Something arrived. */
  touch(): void
  stop(): void
}

/**
 * Aborts when nothing arrives for `idleMs`. One timer per stream, re-armed only when it fires,
 * so a chunk costs a clock read rather than a timer reset.
 */
export function watchIdle(abort: AbortController, idleMs: number): IdleWatch {
  let last = performance.now()
  let timer = setTimeout(check, idleMs)

  function check() {
    const quiet = performance.now() - last
    if (quiet >= idleMs) abort.abort(new UpstreamTimeout())
    else timer = setTimeout(check, idleMs - quiet)
  }

  return {
    touch: () => {
      last = performance.now()
    },
    stop: () => clearTimeout(timer),
  }
}
