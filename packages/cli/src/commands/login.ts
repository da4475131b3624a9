import { Flags } from '@oclif/core'
import { PluginError } from '@synapse/core'
import { HttpRegistry, isRegistryUrl, saveRegistryToken } from '@synapse/registry'
import { SynapseCommand } from '../synapse-command'

/** Reads the token without echoing it: from a terminal with echo off, else all of stdin. */
async function readToken(): Promise<string> {
  const stdin = process.stdin
  if (!stdin.isTTY) {
    let text = ''
    for await (const chunk of stdin) text += chunk
    return text.trim()
  }
  process.stderr.write('Registry token: ')
  stdin.setRawMode(true)
  stdin.setEncoding('utf8')
  let token = ''
  try {
    for await (const chunk of stdin as AsyncIterable<string>) {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return token
        if (ch === '\u0003') throw new PluginError('Login cancelled', { code: 'RUN_CANCELLED' })
        if (ch === '\u007f') token = token.slice(0, -1)
        else token += ch
      }
    }
    return token
  } finally {
    stdin.setRawMode(false)
    process.stderr.write('\n')
    stdin.pause()
  }
}

export class Login extends SynapseCommand {
  static override summary = 'Save a token for an HTTP plugin registry'
  static override description =
    "Reads the token from the terminal (not echoed) or from stdin, checks it with the registry, and saves it in the user's config directory ($XDG_CONFIG_HOME/synapse, else ~/.config/synapse) in a file only its owner can read. The token is never printed. Tokens come from `synapse registry token create` on the registry's machine."
  static override examples = [
    '<%= config.bin %> login --registry http://registry.local:4873',
    'echo "$TOKEN" | <%= config.bin %> login --registry http://registry.local:4873',
  ]

  static override flags = {
    registry: Flags.string({ description: 'Registry URL (http or https)', required: true }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Login)
    if (!isRegistryUrl(flags.registry)) {
      throw new PluginError(
        `--registry must be an http(s) URL, got ${JSON.stringify(flags.registry)}; a registry directory needs no login`,
        { code: 'VALIDATION_ERROR', details: { registry: flags.registry } },
      )
    }
    const token = await readToken()
    if (token === '') {
      throw new PluginError('No token given: type it, or pipe it on stdin', {
        code: 'VALIDATION_ERROR',
      })
    }
    // A token the registry refuses is not worth keeping: check before anything is written.
    await new HttpRegistry(flags.registry, token).checkAuth()
    const path = saveRegistryToken(flags.registry, token)
    process.stdout.write(`logged in to ${flags.registry}; token saved in ${path}\n`)
  }
}
