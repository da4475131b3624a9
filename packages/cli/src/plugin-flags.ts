import { Flags } from '@oclif/core'

/** `--path`: where every `synapse plugin …` command finds the plugin it works on. */
export const pluginPathFlag = {
  path: Flags.string({
    char: 'p',
    description: 'Plugin directory or its config.yaml',
    default: '.',
  }),
}
