import { Command, type Interfaces } from '@oclif/core'
import { PluginError } from '@synapse/core'
import { describeError, exitCodeFor } from './ui/report-error'

/**
 * Base of every `synapse` command: an error a command throws is printed for a person (code,
 * message, causes; stacks with --debug) and becomes the exit code, so commands just throw.
 */
export abstract class SynapseCommand extends Command {
  protected override async catch(error: Interfaces.CommandError): Promise<unknown> {
    // oclif's own errors (exit requests, flag parsing) keep oclif's handling.
    if (!PluginError.is(error) && error.oclif !== undefined) return super.catch(error)
    process.stderr.write(`${describeError(error, { stack: this.argv.includes('--debug') })}\n`)
    return this.exit(exitCodeFor(error))
  }
}
