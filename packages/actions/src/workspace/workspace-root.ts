import { dirname, join, resolve } from 'node:path'

/** Names the workspace folder; wins over the run store's location. */
export const SYNAPSE_WORKSPACE_ENV = 'SYNAPSE_WORKSPACE'
/** The run store's database file (as `@synapse/store-sqlite` reads it). */
const STORE_ENV = 'SYNAPSE_STORE'

/** Where to look for the workspace folder, each optional. */
export interface WorkspaceRootSources {
  /** An explicit folder (a `--workspace` flag): wins over everything. */
  path?: string | undefined
  /** Read for {@link SYNAPSE_WORKSPACE_ENV} and `SYNAPSE_STORE`; `process.env` by default. */
  env?: Readonly<Record<string, unknown>> | undefined
  cwd?: string | undefined
}

/**
 * The workspace folder: the explicit path, else `$SYNAPSE_WORKSPACE`, else the folder holding the
 * run store (`$SYNAPSE_STORE`'s folder), else `<cwd>/.synapse`: datasets and models sit next to
 * the runs that made them.
 *
 * @example
 * resolveWorkspaceRoot({ cwd: '/work/plugin', env: {} }) // '/work/plugin/.synapse'
 */
export function resolveWorkspaceRoot(sources: WorkspaceRootSources = {}): string {
  const cwd = sources.cwd ?? process.cwd()
  const env = sources.env ?? process.env
  const explicit = nonEmpty(sources.path) ?? nonEmpty(env[SYNAPSE_WORKSPACE_ENV])
  if (explicit !== undefined) return resolve(cwd, explicit)
  const store = nonEmpty(env[STORE_ENV])
  if (store !== undefined && store !== ':memory:') return dirname(resolve(cwd, store))
  return join(resolve(cwd), '.synapse')
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}
