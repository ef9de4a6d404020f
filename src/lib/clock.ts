/** Time as a dependency, so tests can move it. */
export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

export class ManualClock implements Clock {
  constructor(private time = Date.UTC(2026, 11, 1)) {}

  now() {
    return this.time
  }

  advance(ms: number) {
    this.time += ms
  }
}
