/** Faults a test can switch on, per wire route or for callback delivery. */

export const wireFaults = ['status_503', 'hang', 'malformed'] as const
export type WireFault = (typeof wireFaults)[number]

export const deliveryFaults = [
  'bad_signature',
  'duplicate',
  'out_of_order',
  'pretty_json',
  'lost',
  'delay',
] as const
export type DeliveryFault = (typeof deliveryFaults)[number]

export type FaultRoute = 'handshake' | 'create' | 'get' | 'cancel' | 'callback'

interface Armed {
  mode: string
  /** How many more times it fires; undefined: until cleared. */
  remaining?: number
}

export class Faults {
  private readonly armed = new Map<FaultRoute, Armed>()

  set(route: FaultRoute, mode: string, times?: number) {
    if (mode === 'none') this.armed.delete(route)
    else this.armed.set(route, { mode, remaining: times })
  }

  /** The fault to apply to this use of the route, counting it down. */
  take(route: FaultRoute): string | undefined {
    const fault = this.armed.get(route)
    if (!fault) return undefined
    if (fault.remaining !== undefined && --fault.remaining <= 0) this.armed.delete(route)
    return fault.mode
  }

  clear() {
    this.armed.clear()
  }
}
