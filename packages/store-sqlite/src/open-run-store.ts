import { SqliteRunStore, type SqliteRunStoreOptions } from './sqlite-run-store'
import { resolveStorePath, type StorePathSources } from './store-path'

/** Options of {@link openRunStore}: where the file is (all optional) and how to open it. */
export interface OpenRunStoreOptions
  extends StorePathSources,
    Omit<SqliteRunStoreOptions, 'path'> {}

/**
 * Opens the project's run store: `path` if given, else `$SYNAPSE_STORE`, else
 * `<cwd>/.synapse/synapse.db`. Creates the file and its folders when missing. Fails with
 * `STORE_CORRUPT` or `STORE_UNAVAILABLE`, naming the file, when it cannot be used.
 *
 * @example
 * const store = await openRunStore({ path: flags.store })
 */
export async function openRunStore(options: OpenRunStoreOptions = {}): Promise<SqliteRunStore> {
  const { path, env, cwd, ...open } = options
  return new SqliteRunStore({ ...open, path: resolveStorePath({ path, env, cwd }) })
}
