import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { type PluginRegistry, REGISTRY_ENV } from '@synapse/core'
import { readRegistryToken } from './credentials'
import { HttpRegistry } from './http-registry'
import { LocalRegistry } from './local-registry'

type Env = Record<string, string | undefined>

/** A token for an HTTP registry, over the one `synapse login` saved. */
export const REGISTRY_TOKEN_ENV = 'SYNAPSE_REGISTRY_TOKEN'
/** Where `code@version` plugins are unpacked, over the default `.synapse/plugins`. */
export const PLUGIN_CACHE_ENV = 'SYNAPSE_PLUGIN_CACHE'

/** The embedded default registry: `$XDG_DATA_HOME/synapse/registry`, else `~/.local/share/…`. */
export function defaultRegistryDir(env: Env = process.env): string {
  const xdg = env['XDG_DATA_HOME']
  const base = xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.local', 'share')
  return join(base, 'synapse', 'registry')
}

/** True when a registry spec is a URL rather than a directory. */
export function isRegistryUrl(spec: string): boolean {
  return /^https?:\/\//i.test(spec)
}

/**
 * The registry a spec names: an `http(s)://` URL is an {@link HttpRegistry} (token from
 * `$SYNAPSE_REGISTRY_TOKEN`, else the one saved by `synapse login`), anything else a directory
 * ({@link LocalRegistry}). No spec: `$SYNAPSE_REGISTRY`, else {@link defaultRegistryDir}.
 */
export function openRegistry(spec?: string, env: Env = process.env): PluginRegistry {
  const chosen = spec ?? env[REGISTRY_ENV] ?? defaultRegistryDir(env)
  if (isRegistryUrl(chosen)) {
    return new HttpRegistry(chosen, env[REGISTRY_TOKEN_ENV] ?? readRegistryToken(chosen, env))
  }
  return new LocalRegistry(chosen)
}

/**
 * Where plugins fetched by `code@version` are unpacked: `$SYNAPSE_PLUGIN_CACHE`, else
 * `.synapse/plugins` in `cwd`, beside the run store. Inside the project, so an unpacked plugin
 * resolves `@synapse/core` and its other imports from the project's `node_modules`, as a plugin
 * folder in the project would.
 */
export function defaultPluginCacheDir(env: Env = process.env, cwd = process.cwd()): string {
  const set = env[PLUGIN_CACHE_ENV]
  return set !== undefined && set !== '' ? resolve(set) : join(cwd, '.synapse', 'plugins')
}
