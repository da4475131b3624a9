import { Flags } from '@oclif/core'
import { storeFlag } from '../../store'

/** Flags of the commands that run a pipeline (`run`, `resume`). */
export const runFlags = {
  json: Flags.boolean({
    description: 'Print { runId, status, result | error } as JSON on stdout, and no live display',
  }),
  quiet: Flags.boolean({ char: 'q', description: 'No live display or notes on stderr' }),
  ...storeFlag,
  debug: Flags.boolean({ description: 'Show stack traces on errors' }),
}

/** `--params` over the file's own `params:`. */
export const paramsFlag = {
  params: Flags.string({
    description: "Params as JSON, @file.json or @- (stdin), laid over the file's `params:`",
  }),
}
