import { simulateReadableStream } from 'ai'
import { MockLanguageModelV4 } from 'ai/test'

/** Scripted stand-ins for Gemini, built on the AI SDK's own mock model: no network at all. */
type StreamResult = Awaited<ReturnType<MockLanguageModelV4['doStream']>>
type StreamPart = StreamResult['stream'] extends ReadableStream<infer P> ? P : never
type CallOptions = Parameters<MockLanguageModelV4['doStream']>[0]

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: output, text: output, reasoning: undefined },
})

const finish = (reason: 'stop' | 'tool-calls'): StreamPart => ({
  type: 'finish',
  finishReason: { unified: reason, raw: undefined },
  usage: usage(12, 7),
})

/** One step that answers with these text pieces. */
export function textStep(...pieces: string[]): StreamPart[] {
  return [
    { type: 'text-start', id: 't' },
    ...pieces.map((delta): StreamPart => ({ type: 'text-delta', id: 't', delta })),
    { type: 'text-end', id: 't' },
    finish('stop'),
  ]
}

/** One step that calls a tool with this input. */
export function toolStep(toolName: string, input: unknown, id = 'call-1'): StreamPart[] {
  return [
    { type: 'tool-call', toolCallId: id, toolName, input: JSON.stringify(input) },
    finish('tool-calls'),
  ]
}

export type Step = StreamPart[] | ((options: CallOptions) => ReadableStream<StreamPart>)

export const streamOf = (parts: StreamPart[]) =>
  simulateReadableStream({ chunks: parts, chunkDelayInMs: null, initialDelayInMs: null })

/**
 * A model that plays its steps in order, one per model call; the last step repeats. Summary
 * calls (`generateText`) answer with `summary`.
 */
export function scriptedModel(steps: Step[], summary = 'The user asked about models.') {
  let call = 0
  return new MockLanguageModelV4({
    doStream: async (options) => {
      const step = steps[Math.min(call++, steps.length - 1)]!
      return { stream: typeof step === 'function' ? step(options) : streamOf(step) }
    },
    doGenerate: async () => ({
      content: [{ type: 'text', text: summary }],
      finishReason: { unified: 'stop', raw: undefined },
      usage: usage(40, 10),
      warnings: [],
    }),
  })
}

/**
 * A step whose pieces are released one at a time by the test, so it can prove each piece
 * reached the page before the next one was generated.
 */
export function gatedStep(pieces: string[]) {
  const gates = pieces.map(() => Promise.withResolvers<void>())
  const step = () =>
    new ReadableStream<StreamPart>({
      async start(controller) {
        controller.enqueue({ type: 'text-start', id: 't' })
        for (const [index, delta] of pieces.entries()) {
          await gates[index]!.promise
          controller.enqueue({ type: 'text-delta', id: 't', delta })
        }
        controller.enqueue({ type: 'text-end', id: 't' })
        controller.enqueue(finish('stop'))
        controller.close()
      },
    })
  return { step, release: (index: number) => gates[index]!.resolve() }
}

/** A step that sends one piece, then waits until the call is aborted, and records the abort. */
export function hangingStep(first: string) {
  const seen = { aborted: false, started: false }
  const step = (options: CallOptions) =>
    new ReadableStream<StreamPart>({
      start(controller) {
        seen.started = true
        controller.enqueue({ type: 'text-start', id: 't' })
        controller.enqueue({ type: 'text-delta', id: 't', delta: first })
        options.abortSignal?.addEventListener('abort', () => {
          seen.aborted = true
          controller.error(options.abortSignal?.reason)
        })
      },
    })
  return { step, seen }
}

/** A step that fails the way a provider does when it answers with an error. */
export function failingStep(): Step {
  return () =>
    new ReadableStream<StreamPart>({
      start(controller) {
        controller.enqueue({
          type: 'error',
          error: new Error('upstream secret sk-live-123 leaked'),
        })
        controller.close()
      },
    })
}

/** The system instructions and the messages a model call received. */
export function promptOf(model: MockLanguageModelV4, call: number) {
  const prompt = model.doStreamCalls[call]?.prompt ?? []
  const system = prompt
    .filter((m) => m.role === 'system')
    .map((m) => m.content)
    .join('\n')
  const messages = prompt
    .filter((m) => m.role === 'user' || m.role === 'assistant')
    .map((m) => ({
      role: m.role,
      text: (m.content as { type: string; text?: string }[])
        .map((part) => part.text ?? '')
        .join(''),
    }))
  return { system, messages }
}

/** The output of the tool result a model call received, if any. */
export function toolOutputOf(options: CallOptions): unknown {
  for (const message of options.prompt) {
    if (message.role !== 'tool') continue
    for (const part of message.content) {
      if (part.type === 'tool-result' && part.output.type === 'json') return part.output.value
    }
  }
  return undefined
}
