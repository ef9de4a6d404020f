import { Database as SqliteClient } from 'bun:sqlite'
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs'

/**
 * Online backup and restore of the SQLite database. `VACUUM INTO` copies one consistent
 * snapshot through SQLite itself, so it is safe while the server writes; copying the file (and
 * its WAL) by hand is not. PostgreSQL has its own tools (pg_dump, pg_restore).
 */

export interface BackupResult {
  target: string
  bytes: number
  accounts: number
  ledgerEntries: number
}

export class BackupError extends Error {}

export function backupSqlite(databasePath: string, target: string): BackupResult {
  if (!existsSync(databasePath)) throw new BackupError(`no database at ${databasePath}`)
  if (existsSync(target)) throw new BackupError(`${target} exists; choose a new file`)

  // Written beside the target and renamed, so a half-written copy never has the final name.
  const partial = `${target}.partial`
  rmSync(partial, { force: true })
  const source = new SqliteClient(databasePath, { readonly: true })
  try {
    source.exec('PRAGMA busy_timeout = 10000')
    source.query('VACUUM INTO ?').run(partial)
  } finally {
    source.close()
  }

  const counts = verify(partial)
  renameSync(partial, target)
  return { target, bytes: statSync(target).size, ...counts }
}

/**
 * Puts a backup in place of the database; the server must be stopped. The database it replaces
 * is kept beside it (with its WAL files, which belong to it alone), never deleted.
 */
export function restoreSqlite(backup: string, databasePath: string, now = Date.now()) {
  verify(backup)
  const incoming = `${databasePath}.restoring`
  copyFileSync(backup, incoming)

  let keptAs: string | undefined
  if (existsSync(databasePath)) {
    keptAs = `${databasePath}.before-restore-${new Date(now).toISOString().replace(/[:.]/g, '-')}`
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(databasePath + suffix)) renameSync(databasePath + suffix, keptAs + suffix)
    }
  }
  renameSync(incoming, databasePath)
  return { restored: databasePath, keptAs }
}

/** Opens a copy, checks it page by page and counts what matters. */
function verify(path: string) {
  if (!existsSync(path)) throw new BackupError(`no backup at ${path}`)
  const copy = new SqliteClient(path, { readonly: true })
  try {
    const check = copy.query('PRAGMA integrity_check').get() as { integrity_check: string }
    if (check.integrity_check !== 'ok') {
      throw new BackupError(`${path} is damaged: ${check.integrity_check}`)
    }
    const count = (table: string) =>
      (copy.query(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
    return { accounts: count('accounts'), ledgerEntries: count('ledger_entries') }
  } finally {
    copy.close()
  }
}
