import { Flags } from '@oclif/core'
import { REGISTRY_ENV } from '@synapse/core'

/** `--registry`: the registry a command publishes to or fetches from. */
export const registryFlag = {
  registry: Flags.string({
    description: `Registry directory or http(s) URL (default: $${REGISTRY_ENV}, else ~/.local/share/synapse/registry)`,
  }),
}
