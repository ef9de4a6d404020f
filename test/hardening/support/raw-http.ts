/**
 * Writes raw bytes to a listening server and answers everything it sends back until it closes
 * the connection (or `limitMs` passes, for requests it rightly keeps waiting on).
 */
export async function rawExchange(port: number, raw: string | Uint8Array, limitMs = 3000) {
  let received = ''
  const decoder = new TextDecoder()
  const { promise: closed, resolve } = Promise.withResolvers<void>()
  const socket = await Bun.connect({
    hostname: '127.0.0.1',
    port,
    socket: {
      data: (_socket, chunk) => void (received += decoder.decode(chunk, { stream: true })),
      close: () => resolve(),
      error: () => resolve(),
    },
  })
  socket.write(raw)
  socket.flush()
  const timer = setTimeout(resolve, limitMs)
  await closed
  clearTimeout(timer)
  socket.end()
  return received
}
