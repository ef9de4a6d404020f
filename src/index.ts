import { createApp } from './app'
import { ConfigError, loadConfig } from './config'
import { openDatabase } from './db/database'
import { systemClock } from './lib/clock'
import { createLogger } from './ops/logger'
import { startRetention } from './ops/retention'
import { shutdown } from './ops/shutdown'
import { createServices } from './services'

const SERVER_BODY_CAP_BYTES = 2 ** 40

// Start-up only: read the configuration, open (and migrate) the database, build the app,
// listen, and on SIGTERM or SIGINT shut down in order (src/ops/shutdown.ts), then exit 0.

let config
try {
  config = loadConfig()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(error.message)
  process.exit(1)
}

const logger = createLogger(config.LOG_LEVEL)
if (config.generatedSecrets.length > 0) {
  logger.warn('local_secrets_generated', {
    names: config.generatedSecrets,
    file: `${config.DATA_DIR}/local-secrets.json`,
  })
}

const db = await openDatabase(config.DATABASE_URL)
const services = await createServices({ config, db, clock: systemClock, logger })
startRetention(services)
const app = createApp(services)
// The app refuses every body over MAX_BODY_BYTES itself, in the caller's format
// (src/http/body-limit.ts). Bun's own refusal has an empty body that no SDK can read, so its
// cap sits far above the app's; nothing reads a body whole without a length being checked.
const server = app.listen({
  port: config.PORT,
  hostname: config.HOST,
  maxRequestBodySize: SERVER_BODY_CAP_BYTES,
}).server
logger.info('listening', {
  url: `http://${server?.hostname}:${server?.port}`,
  database: db.dialect,
})

let stopping = false
async function stop(signal: string) {
  if (stopping) return
  stopping = true
  logger.info('stopping', { signal })
  try {
    await shutdown(server, services)
    process.exit(0)
  } catch (error) {
    logger.error('shutdown_failed', { error })
    process.exit(1)
  }
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))
