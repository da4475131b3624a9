import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { PluginError } from '@synapse/core'

/** A token as the server keeps it: never the token itself, only its SHA-256. */
export interface StoredToken {
  id: string
  name: string
  sha256: string
  createdAt: string
}

/** File in the registry directory holding the tokens' hashes (no code can start with a dot). */
export const TOKENS_FILE = '.tokens.json'

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex')

/**
 * The bearer tokens an HTTP registry accepts, kept hashed in `<dir>/.tokens.json` (mode 600).
 * The file is read on every check, so a token made while the server runs works at once.
 */
export class RegistryTokens {
  readonly #path: string

  constructor(registryDir: string) {
    this.#path = join(resolve(registryDir), TOKENS_FILE)
  }

  /** Makes a new token; the returned string is the only time it exists in clear. */
  create(name = 'default'): { token: string; id: string } {
    const id = randomBytes(4).toString('hex')
    const token = `syn_${id}_${randomBytes(32).toString('base64url')}`
    const tokens = this.list()
    tokens.push({ id, name, sha256: hashOf(token), createdAt: new Date().toISOString() })
    mkdirSync(resolve(this.#path, '..'), { recursive: true })
    const tmp = `${this.#path}.${process.pid}.tmp`
    writeFileSync(tmp, `${JSON.stringify({ tokens }, null, 2)}\n`, { mode: 0o600 })
    chmodSync(tmp, 0o600)
    renameSync(tmp, this.#path)
    return { token, id }
  }

  /** The tokens on file, without their secrets. */
  list(): StoredToken[] {
    let text: string
    try {
      text = readFileSync(this.#path, 'utf8')
    } catch {
      return []
    }
    try {
      const parsed = JSON.parse(text) as { tokens?: StoredToken[] }
      return Array.isArray(parsed.tokens) ? parsed.tokens : []
    } catch (cause) {
      throw new PluginError(`Registry token file ${this.#path} is not valid JSON`, {
        code: 'REGISTRY_CORRUPT',
        cause,
        details: { path: this.#path },
      })
    }
  }

  /** True when `token` is one of ours. */
  verify(token: string): boolean {
    const wanted = Buffer.from(hashOf(token), 'hex')
    let ok = false
    for (const t of this.list()) {
      const have = Buffer.from(t.sha256, 'hex')
      // Every entry compared, in constant time each: no early exit to time.
      if (have.length === wanted.length && timingSafeEqual(have, wanted)) ok = true
    }
    return ok
  }
}
