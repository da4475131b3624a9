// @synapse/store-sqlite — the embedded run store.
export { type OpenRunStoreOptions, openRunStore } from './open-run-store'
export { SCHEMA_VERSION } from './schema'
export { SqliteRunStore, type SqliteRunStoreOptions } from './sqlite-run-store'
export {
  defaultStorePath,
  MEMORY_PATH,
  resolveStorePath,
  type StorePathSources,
  SYNAPSE_STORE_ENV,
} from './store-path'
