export interface QuietTimer {
  /** Something happened: the quiet spell starts again. */
  touch(): void
  stop(): void
}

/**
 * Calls `onQuiet` each time nothing has touched it for `quietMs`. One timer, re-armed only
 * when it fires, so a touch costs a clock read rather than a timer reset.
 */
export function quietTimer(quietMs: number, onQuiet: () => void): QuietTimer {
  let last = performance.now()
  let timer = setTimeout(check, quietMs)

  function check() {
    const quiet = performance.now() - last
    if (quiet < quietMs) {
      timer = setTimeout(check, quietMs - quiet)
      return
    }
    last = performance.now()
    timer = setTimeout(check, quietMs)
    onQuiet()
  }

  return {
    touch: () => {
      last = performance.now()
    },
    stop: () => clearTimeout(timer),
  }
}
