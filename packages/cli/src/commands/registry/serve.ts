import { Flags } from '@oclif/core'
import { RegistryTokens, startRegistryServer } from '@synapse/registry'
import { SynapseCommand } from '../../synapse-command'

export class RegistryServe extends SynapseCommand {
  static override summary = 'Serve a registry directory over HTTP'
  static override description =
    'Other machines publish to and fetch from it with --registry http://HOST:PORT. Every request needs a bearer token made by `synapse registry token create --dir D`; codes and versions with path tricks are refused. Runs until interrupted.'
  static override examples = [
    '<%= config.bin %> registry serve --dir /srv/synapse-registry --port 4873 --host 0.0.0.0',
  ]

  static override flags = {
    dir: Flags.string({ description: 'Registry directory', required: true }),
    port: Flags.integer({
      description: 'Port (0: any free one)',
      default: 4873,
      min: 0,
      max: 65535,
    }),
    host: Flags.string({ description: 'Address to listen on', default: '127.0.0.1' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(RegistryServe)
    const running = await startRegistryServer({
      dir: flags.dir,
      port: flags.port,
      host: flags.host,
    })
    if (new RegistryTokens(flags.dir).list().length === 0) {
      process.stderr.write(
        `warning: no tokens yet; every request is refused until \`synapse registry token create --dir ${flags.dir}\`\n`,
      )
    }
    process.stdout.write(`registry ${flags.dir} listening on ${running.url}\n`)
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop)
        process.off('SIGTERM', stop)
        void running.close().then(resolve)
      }
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
    })
  }
}
