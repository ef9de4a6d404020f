/** A small seeded generator (mulberry32), so a failing fuzz run can be replayed from its seed. */
export class Random {
  private state: number

  constructor(readonly seed: number) {
    this.state = seed >>> 0
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  int(below: number): number {
    return Math.floor(this.next() * below)
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!
  }

  chance(p: number): boolean {
    return this.next() < p
  }
}

/** The seed of this run: FUZZ_SEED when replaying, else a fixed default so CI is repeatable. */
export function runSeed(fallback: number): number {
  const given = Number(Bun.env.FUZZ_SEED)
  return Number.isSafeInteger(given) && given > 0 ? given : fallback
}
