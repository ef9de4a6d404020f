import { rewriteEvent, type EventSink } from './sse-events'

const encoder = new TextEncoder()

/**
 * Rewrites an SSE byte stream chunk by chunk. A chunk of whole events that needs no change
 * goes out as the very bytes that came in; otherwise the rewritten events are encoded. Only
 * a trailing partial event waits, for the rest of itself.
 */
export class SseRewriter {
  private readonly decoder = new TextDecoder()
  private pending = ''

  constructor(
    private readonly includeUsage: boolean,
    private readonly sink: EventSink,
  ) {}

  push(bytes: Uint8Array): Uint8Array | null {
    let text = this.pending + this.decoder.decode(bytes, { stream: true })
    let changed = this.pending.length > 0
    if (text.includes('\r')) {
      text = text.replace(/\r\n?/g, '\n')
      changed = true
    }

    let out = ''
    let start = 0
    for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n', start)) {
      const event = text.slice(start, end)
      const rewritten = rewriteEvent(event, this.includeUsage, this.sink)
      if (rewritten !== event) changed = true
      if (rewritten !== null) out += rewritten + '\n\n'
      start = end + 2
    }
    this.pending = text.slice(start)
    if (this.pending.length > 0) changed = true

    if (!changed) return bytes
    return out ? encoder.encode(out) : null
  }

  /** Whatever was left when the upstream ended, as a final event. */
  flush(): Uint8Array | null {
    const rest = (this.pending + this.decoder.decode()).trim()
    this.pending = ''
    if (!rest) return null
    const rewritten = rewriteEvent(rest, this.includeUsage, this.sink)
    return rewritten === null ? null : encoder.encode(rewritten + '\n\n')
  }
}
