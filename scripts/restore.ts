import { fileAndDatabase } from './backup-args'
import { loadConfig } from '../src/config'
import { isPostgresUrl } from '../src/db/database'
import { BackupError, restoreSqlite } from '../src/ops/backup'

/**
 * Puts a backup made by scripts/backup.ts in place of the SQLite database. Stop the server
 * first; the replaced database is kept beside it as `<name>.before-restore-<time>`.
 *
 *   bun scripts/restore.ts <backup file> [--database <path>]
 */
const { file: backup, database } = fileAndDatabase(process.argv.slice(2))
if (!backup) {
  console.error('usage: bun scripts/restore.ts <backup file> [--database <path>]')
  process.exit(2)
}
const target = database ?? loadConfig().DATABASE_URL
if (isPostgresUrl(target)) {
  console.error('DATABASE_URL is PostgreSQL: restore it with pg_restore.')
  process.exit(2)
}

try {
  console.log(JSON.stringify(restoreSqlite(backup, target)))
} catch (error) {
  if (!(error instanceof BackupError)) throw error
  console.error(`restore failed: ${error.message}`)
  process.exit(1)
}
