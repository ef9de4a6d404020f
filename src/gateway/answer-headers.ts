// The only headers an answer carries besides the request id: nothing of the upstream's
// crosses (Bun's fetch keeps content-encoding and content-length of a body it decompressed).

export const answerJsonHeaders = { 'content-type': 'application/json' }

export const answerStreamHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
}
