import { fileAndDatabase } from './backup-args'
import { loadConfig } from '../src/config'
import { isPostgresUrl } from '../src/db/database'
import { backupSqlite, BackupError } from '../src/ops/backup'

/**
 * A consistent copy of the SQLite database, safe while the server runs:
 *
 *   bun scripts/backup.ts <target file> [--database <path>]
 *
 * The database defaults to DATABASE_URL. Prints what was copied as one JSON line.
 */
const { file: target, database } = fileAndDatabase(process.argv.slice(2))
if (!target) {
  console.error('usage: bun scripts/backup.ts <target file> [--database <path>]')
  process.exit(2)
}
const source = database ?? loadConfig().DATABASE_URL
if (isPostgresUrl(source)) {
  console.error('DATABASE_URL is PostgreSQL: back it up with pg_dump --format=custom.')
  process.exit(2)
}

try {
  console.log(JSON.stringify(backupSqlite(source, target)))
} catch (error) {
  if (!(error instanceof BackupError)) throw error
  console.error(`backup failed: ${error.message}`)
  process.exit(1)
}
