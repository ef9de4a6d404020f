import { readdirSync, readFileSync } from 'node:fs'
import { extname, join, sep } from 'node:path'
import { gzipSync } from 'bun'

/**
 * The files under public/, read once into memory with a content hash and, for text, a gzip
 * copy. Only files found at start-up can be served, so no request path reaches the disk.
 */

export interface Asset {
  body: Uint8Array<ArrayBuffer>
  gzip?: Uint8Array<ArrayBuffer>
  type: string
  hash: string
}

const publicRoot = join(import.meta.dir, '..', '..', 'public')

const types: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
}

let assets: Map<string, Asset> | undefined

export function publicAssets(): Map<string, Asset> {
  assets ??= loadAssets(publicRoot)
  return assets
}

function loadAssets(root: string): Map<string, Asset> {
  const found = new Map<string, Asset>()
  for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const type = types[extname(file)]
    if (!type) continue
    const body = new Uint8Array(readFileSync(join(root, file)))
    const compressible = type.startsWith('text/') || type === 'image/svg+xml'
    found.set(file.split(sep).join('/'), {
      body,
      gzip: compressible ? gzipSync(body) : undefined,
      type,
      hash: new Bun.CryptoHasher('sha256').update(body).digest('hex').slice(0, 10),
    })
  }
  return found
}

/** The URL of a public file with its content hash, so browsers may cache it for good. */
export function assetUrl(name: string): string {
  const asset = publicAssets().get(name)
  if (!asset) throw new Error(`no public asset named ${name}`)
  return `/public/${name}?v=${asset.hash}`
}
