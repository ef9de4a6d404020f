export interface CappedText {
  text: string
  bytes: number
}

/** Reads a byte stream as UTF-8 text; null (and the stream cancelled) past `limit` bytes. */
export async function readCapped(
  body: ReadableStream<Uint8Array>,
  limit: number,
): Promise<CappedText | null> {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let bytes = 0

  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    bytes += value.byteLength
    if (bytes > limit) {
      await reader.cancel().catch(() => {})
      return null
    }
    chunks.push(value)
  }
  const whole = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
  return { text: new TextDecoder().decode(whole), bytes }
}
