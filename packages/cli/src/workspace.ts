import { Flags } from '@oclif/core'
import { LocalWorkspace, SYNAPSE_WORKSPACE_ENV } from '@synapse/actions'

/** `--workspace`: which workspace folder a command reads or writes. */
export const workspaceFlag = {
  workspace: Flags.string({
    description: `Workspace folder (default: $${SYNAPSE_WORKSPACE_ENV}, else the run store's folder, else .synapse/ here)`,
  }),
}

/** The embedded workspace the flags name; the one actions run by `plugin run` use by default. */
export function openWorkspace(flags: { workspace?: string | undefined }): LocalWorkspace {
  return LocalWorkspace.open({ path: flags.workspace })
}
