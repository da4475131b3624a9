import { Flags } from '@oclif/core'
import type { RunStore } from '@synapse/core'
import { openRunStore, SYNAPSE_STORE_ENV } from '@synapse/store-sqlite'

/** `--store`: which run store a command reads or writes. */
export const storeFlag = {
  store: Flags.string({
    description: `Run store file (default: $${SYNAPSE_STORE_ENV}, else .synapse/synapse.db here)`,
  }),
}

/** Opens the run store the flags name; fails naming the file when it cannot be used. */
export function openStore(flags: { store?: string | undefined }): Promise<RunStore> {
  return openRunStore({ path: flags.store })
}

/**
 * Runs `use` with the store open and closes it after, whatever happens: the store's last writes
 * land before the command exits.
 */
export async function withStore<T>(
  flags: { store?: string | undefined },
  use: (store: RunStore) => Promise<T>,
): Promise<T> {
  const store = await openStore(flags)
  try {
    return await use(store)
  } finally {
    await store.close()
  }
}
