import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { PluginError } from '@synapse/core'

type Env = Record<string, string | undefined>

/** The user's synapse config directory: `$XDG_CONFIG_HOME/synapse`, else `~/.config/synapse`. */
export function userConfigDir(env: Env = process.env): string {
  const xdg = env['XDG_CONFIG_HOME']
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.config'), 'synapse')
}

/** The file holding registry tokens, owner-only (0600). */
export function credentialsPath(env: Env = process.env): string {
  return join(userConfigDir(env), 'credentials.json')
}

interface CredentialsFile {
  registries: Record<string, { token: string; savedAt: string }>
}

const keyOf = (url: string) => url.replace(/\/+$/, '')

function readCredentials(path: string): CredentialsFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return { registries: {} }
  }
  try {
    const parsed = JSON.parse(text) as Partial<CredentialsFile>
    return { registries: parsed.registries ?? {} }
  } catch (cause) {
    throw new PluginError(`Credentials file ${path} is not valid JSON`, {
      code: 'CONFIG_INVALID',
      cause,
      details: { path },
    })
  }
}

/**
 * Saves the token for a registry URL in the user's credentials file. The file is created 0600
 * before the token is written to it, in a 0700 directory, and replaced by rename.
 */
export function saveRegistryToken(url: string, token: string, env: Env = process.env): string {
  const path = credentialsPath(env)
  const dir = userConfigDir(env)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const file = readCredentials(path)
  file.registries[keyOf(url)] = { token, savedAt: new Date().toISOString() }
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, '', { mode: 0o600 })
  // The mode given at creation passes through the umask; make sure of it before any secret lands.
  chmodSync(tmp, 0o600)
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`)
  renameSync(tmp, path)
  return path
}

/** The token saved for a registry URL by `synapse login`, if any. */
export function readRegistryToken(url: string, env: Env = process.env): string | undefined {
  return readCredentials(credentialsPath(env)).registries[keyOf(url)]?.token
}
