import type { Hook } from '@oclif/core'
import { EXIT } from '../ui/report-error'

/**
 * An unknown command, said in the form it was typed (`plugin create`, not oclif's
 * `plugin:create`), with the commands of the same topic to choose from.
 */
export const commandNotFound: Hook<'command_not_found'> = async function (options) {
  const typed = options.id.replaceAll(':', ' ')
  const topic = typed.split(' ')[0] ?? ''
  const all = options.config.commandIDs.map((id) => id.replaceAll(':', ' ')).sort()
  const near = all.filter((id) => id.split(' ')[0] === topic)
  const choices = near.length > 0 ? near : all
  const heading = near.length > 0 ? `Commands under '${topic}'` : 'Commands'
  process.stderr.write(
    `synapse: no command '${typed}'. ${heading}: ${choices.join(', ')}. See synapse --help.\n`,
  )
  this.exit(EXIT.USAGE)
}
