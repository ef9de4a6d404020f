import { createApp } from './app'
import { ConfigError, loadConfig } from './config'
import { openDatabase } from './db/database'
import { systemClock } from './lib/clock'
import { createLogger } from './ops/logger'
import { createServices, stopServices } from './services'

// Start-up only: read the configuration, open the database, build the app, listen, and stop
// cleanly on a signal.

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
const app = createApp(services)
const server = app.listen({ port: config.PORT, hostname: config.HOST })
logger.info('listening', {
  url: `http://${server.server?.hostname}:${server.server?.port}`,
  database: db.dialect,
})

let stopping = false
async function stop(signal: string) {
  if (stopping) return
  stopping = true
  logger.info('stopping', { signal })
  await app.stop()
  await stopServices(services)
  await db.close()
  process.exit(0)
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))
