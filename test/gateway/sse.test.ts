import { describe, expect, test } from 'bun:test'
import type { EventSink } from '../../src/gateway/sse-events'
import { SseRewriter } from '../../src/gateway/sse-rewriter'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function recorder(charge = 1234) {
  const seen = { usage: 0, errors: 0, content: 0, generationId: null as string | null }
  const sink: EventSink = {
    usage: () => (seen.usage++, charge),
    error: () => void seen.errors++,
    content: () => void seen.content++,
    get wantsGenerationId() {
      return seen.generationId === null
    },
    generationId: (id) => void (seen.generationId = id),
  }
  return { seen, sink }
}

const text = (bytes: Uint8Array | null) => (bytes ? decoder.decode(bytes) : null)
const plain = 'data: {"id":"gen-1","choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n'

describe('the SSE rewriter', () => {
  test('a chunk of whole events that needs no change is forwarded as the same bytes', () => {
    const { seen, sink } = recorder()
    const bytes = encoder.encode(`: keep-alive\n\n${plain}data: [DONE]\n\n`)

    const out = new SseRewriter(false, sink).push(bytes)

    expect(out).toBe(bytes)
    expect(seen).toEqual({ usage: 0, errors: 0, content: 1, generationId: 'gen-1' })
  })

  test('an event split across chunks (even inside a character) waits for its end', () => {
    const { sink } = recorder()
    const rewriter = new SseRewriter(false, sink)
    const bytes = encoder.encode('data: {"delta":"မင်္ဂလာပါ"}\n\n')

    const first = rewriter.push(bytes.slice(0, 15))
    const second = rewriter.push(bytes.slice(15))

    expect(first).toBeNull()
    expect(text(second)).toBe('data: {"delta":"မင်္ဂလာပါ"}\n\n')
  })

  test('upstream-only fields are removed and CRLF line ends are normalised', () => {
    const { sink } = recorder()
    const upstream =
      'data: {"id":"x","provider":"Azure","choices":[{"index":0,"delta":{},' +
      '"native_finish_reason":"stop"}]}\r\n\r\n'

    const out = new SseRewriter(false, sink).push(encoder.encode(upstream))

    expect(text(out)).toBe('data: {"id":"x","choices":[{"index":0,"delta":{}}]}\n\n')
  })

  test(
    'the usage event is dropped for a client that ' + 'did not ask, rewritten for one that did',
    () => {
      const usage =
        'data: {"id":"x","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,' +
        '"total_tokens":3,"cost":0.5,"is_byok":false,' +
        '"cost_details":{"upstream_inference_cost":0.4}}}\n\n'
      const quiet = recorder()
      const asking = recorder(25_000)

      const dropped = new SseRewriter(false, quiet.sink).push(encoder.encode(usage))
      const shown = new SseRewriter(true, asking.sink).push(encoder.encode(usage))

      expect(dropped).toBeNull()
      expect(quiet.seen.usage).toBe(1)
      expect(text(shown)).toBe(
        'data: {"id":"x","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,' +
          '"total_tokens":3,"cost_mmk":2.5}}\n\n',
      )
    },
  )

  test('usage riding on a content chunk keeps the content for a client that did not ask', () => {
    const { seen, sink } = recorder()
    const both =
      'data: {"id":"x","choices":[{"index":0,"delta":{"content":"end"}}],' +
      '"usage":{"prompt_tokens":1,"cost":0.1}}\n\n'

    const out = new SseRewriter(false, sink).push(encoder.encode(both))

    expect(text(out)).toBe('data: {"id":"x","choices":[{"index":0,"delta":{"content":"end"}}]}\n\n')
    expect([seen.usage, seen.content]).toEqual([1, 1])
  })

  test('an upstream comment becomes our keep-alive, alone or inside a data event', () => {
    const { seen, sink } = recorder()
    const mixed =
      ': OPENROUTER PROCESSING\n\n' +
      ': OPENROUTER PROCESSING\ndata: {"id":"x","choices":[],"usage":{"prompt_tokens":1,' +
      '"cost":0.1}}\n\n'

    const out = new SseRewriter(true, sink).push(encoder.encode(mixed))

    expect(text(out)).toBe(
      ': keep-alive\n\n' +
        'data: {"id":"x","choices":[],"usage":{"prompt_tokens":1,"cost_mmk":0.1234}}\n\n',
    )
    expect(seen.usage).toBe(1)
  })

  test('data spread over several lines goes out as one line, stripped', () => {
    const { seen, sink } = recorder()
    const spread =
      'data: {"id":"gen-9","provider":"Azure",\n' +
      'data: "choices":[{"index":0,"delta":{"content":"a"}}]}\n\n'

    const out = new SseRewriter(false, sink).push(encoder.encode(spread))

    expect(text(out)).toBe(
      'data: {"id":"gen-9","choices":[{"index":0,"delta":{"content":"a"}}]}\n\n',
    )
    expect([seen.content, seen.generationId]).toEqual([1, 'gen-9'])
  })

  test('an unreadable event becomes an error event', () => {
    const { seen, sink } = recorder()

    const out = new SseRewriter(false, sink).push(encoder.encode('data: {"usage": oops\n\n'))

    expect(JSON.parse(text(out)!.slice(6))).toEqual({
      error: {
        message: 'The upstream provider stopped with an error mid-stream.',
        type: 'api_error',
        param: null,
        code: 'upstream_error',
      },
    })
    expect(seen.errors).toBe(1)
  })

  test('what is left when the upstream ends is sent as a last event', () => {
    const { sink } = recorder()
    const rewriter = new SseRewriter(false, sink)

    rewriter.push(encoder.encode('data: [DONE]'))

    expect(text(rewriter.flush())).toBe('data: [DONE]\n\n')
  })
})
