import { Flags } from '@oclif/core'
import { RegistryTokens } from '@synapse/registry'
import { SynapseCommand } from '../../../synapse-command'

export class RegistryTokenCreate extends SynapseCommand {
  static override summary = 'Make a bearer token for a served registry'
  static override description =
    'Prints the new token once, on stdout; the registry keeps only its SHA-256. Give it to `synapse login --registry URL` on the machines that publish or fetch.'
  static override examples = [
    '<%= config.bin %> registry token create --dir /srv/synapse-registry --name laptop',
  ]

  static override flags = {
    dir: Flags.string({ description: 'Registry directory', required: true }),
    name: Flags.string({ description: 'What the token is for', default: 'default' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(RegistryTokenCreate)
    const { token, id } = new RegistryTokens(flags.dir).create(flags.name)
    process.stderr.write(`token ${id} (${flags.name}) created; it is shown only this once\n`)
    process.stdout.write(`${token}\n`)
  }
}
