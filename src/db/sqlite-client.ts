import { Database as SqliteClient } from 'bun:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

export const BUSY_TIMEOUT_MS = 5000

/** A connection to the SQLite file, set up the same way on the main and the writer thread. */
export function openSqliteClient(path: string): SqliteClient {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const client = new SqliteClient(path, { create: true, strict: true })
  // Two connections write: the main thread's and the writer thread's. Each waits its turn,
  // from the first statement on (the other may be migrating while this one opens).
  client.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`)
  client.exec('PRAGMA journal_mode = WAL')
  // FULL: a commit acknowledged to a user (a top-up, a credit) survives a power loss too. The
  // group commit keeps the fsyncs to one per batch, and pays for them on the writer thread.
  client.exec('PRAGMA synchronous = FULL')
  client.exec('PRAGMA foreign_keys = ON')
  return client
}
