/**
 * Structured logs: one JSON line per event. Callers pass facts as fields; nothing here knows
 * about keys or prompts, so callers must never pass them (the log tests look for leaks).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 }

export type LogSink = (line: string) => void

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void
  info(event: string, fields?: Record<string, unknown>): void
  warn(event: string, fields?: Record<string, unknown>): void
  error(event: string, fields?: Record<string, unknown>): void
  child(bindings: Record<string, unknown>): Logger
}

/**
 * Standard output, written once per turn of the event loop rather than once per line: under
 * load a system call per request cost more than building the line. Whatever is still pending
 * when the process exits is written then.
 */
function bufferedStdout(): LogSink {
  let pending = ''
  let scheduled = false
  const flush = () => {
    scheduled = false
    if (!pending) return
    const text = pending
    pending = ''
    process.stdout.write(text)
  }
  process.on('exit', flush)

  return (line) => {
    pending += line + '\n'
    if (pending.length >= 64 * 1024) flush()
    else if (!scheduled) {
      scheduled = true
      setImmediate(flush)
    }
  }
}

let stdout: LogSink | undefined

export function createLogger(
  level: LogLevel = 'info',
  sink: LogSink = (stdout ??= bufferedStdout()),
  bindings: Record<string, unknown> = {},
): Logger {
  const write = (at: Exclude<LogLevel, 'silent'>, event: string, fields = {}) => {
    if (rank[at] < rank[level]) return
    const record = { time: new Date().toISOString(), level: at, event, ...bindings, ...fields }
    // The replacer makes stringify about twice as slow; only errors and bigints need it.
    sink(JSON.stringify(record, needsReplacer(record) ? replaceErrors : undefined))
  }

  return {
    debug: (event, fields) => write('debug', event, fields),
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
    child: (more) => createLogger(level, sink, { ...bindings, ...more }),
  }
}

function needsReplacer(record: Record<string, unknown>): boolean {
  for (const key in record) {
    const value = record[key]
    if (typeof value === 'bigint' || (typeof value === 'object' && value !== null)) return true
  }
  return false
}

function replaceErrors(_key: string, value: unknown) {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack?.split('\n', 4) }
  }
  if (typeof value === 'bigint') return value.toString()
  return value
}

/** Collects lines in memory; for tests that read what was logged. */
export function memoryLogger(level: LogLevel = 'debug') {
  const lines: string[] = []
  const logger = createLogger(level, (line) => lines.push(line))
  return { logger, lines }
}
