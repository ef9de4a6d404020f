import { chromium, type Browser, type BrowserContext, type LaunchOptions } from 'playwright-core'

// The tests run on a closed network: these flags keep Chromium from calling home (updates,
// sync, QUIC probes), so nothing waits on a connection that can never open. As root, Chromium
// refuses to start without --no-sandbox.
export const chromiumFlags = [
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
]

/** Debian's Chromium: playwright-core brings no browser of its own. */
const options: LaunchOptions = {
  executablePath: '/usr/bin/chromium',
  args: chromiumFlags,
  headless: true,
}

/** A fresh Chromium; each test makes its own contexts. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(options)
}

/** Chromium with its profile kept in `profileDir`, for tests that need one context throughout. */
export function launchChromiumWithProfile(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, options)
}
