import { join, resolve } from 'node:path'

/**
 * The environment variable that names the run store's database file. It overrides the default
 * location; an explicit `path` (a CLI flag) overrides both.
 */
export const SYNAPSE_STORE_ENV = 'SYNAPSE_STORE'

/** SQLite's name for a database that lives in memory only. */
export const MEMORY_PATH = ':memory:'

/**
 * Where a project's runs are kept when nothing else is said: `<cwd>/.synapse/synapse.db`.
 *
 * @example
 * defaultStorePath('/work/my-plugin') // '/work/my-plugin/.synapse/synapse.db'
 */
export function defaultStorePath(cwd: string = process.cwd()): string {
  return join(resolve(cwd), '.synapse', 'synapse.db')
}

/** Where {@link resolveStorePath} looks, each optional. */
export interface StorePathSources {
  /** An explicit file (a `--store` flag): wins over everything. */
  path?: string | undefined
  /** The environment to read {@link SYNAPSE_STORE_ENV} from; `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>> | undefined
  /** The folder the default and relative paths are taken from; `process.cwd()` by default. */
  cwd?: string | undefined
}

/**
 * The database file a store should open: the explicit path, else `$SYNAPSE_STORE`, else
 * {@link defaultStorePath}. Relative paths are taken from `cwd`; an empty value counts as unset,
 * so `SYNAPSE_STORE=` in a shell does not point the store at the working directory itself.
 * `:memory:` is passed through (a store that lives as long as the process, for tests).
 */
export function resolveStorePath(sources: StorePathSources = {}): string {
  const cwd = sources.cwd ?? process.cwd()
  const env = sources.env ?? process.env
  const chosen = nonEmpty(sources.path) ?? nonEmpty(env[SYNAPSE_STORE_ENV])
  if (chosen === undefined) return defaultStorePath(cwd)
  if (chosen === MEMORY_PATH) return chosen
  return resolve(cwd, chosen)
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value
}
