/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

/** Request log lines written so far, parsed. */
export function requestLines(lines: string[]) {
  return lines.map((line) => JSON.parse(line)).filter((line) => line.event === 'request')
}
