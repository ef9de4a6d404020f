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

const stdout: LogSink = (line) => process.stdout.write(line + '\n')

export function createLogger(
  level: LogLevel = 'info',
  sink: LogSink = stdout,
  bindings: Record<string, unknown> = {},
): Logger {
  const write = (at: Exclude<LogLevel, 'silent'>, event: string, fields = {}) => {
    if (rank[at] < rank[level]) return
    const record = { time: new Date().toISOString(), level: at, event, ...bindings, ...fields }
    sink(JSON.stringify(record, replaceErrors))
  }

  return {
    debug: (event, fields) => write('debug', event, fields),
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
    child: (more) => createLogger(level, sink, { ...bindings, ...more }),
  }
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
