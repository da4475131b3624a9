import { relative } from 'node:path'
import { Flags } from '@oclif/core'
import { PluginError } from '@synapse/core'
import { isRegistryUrl, openRegistry, prepareRelease, publishRelease } from '@synapse/registry'
import { pluginPathFlag } from '../../plugin-flags'
import { registryFlag } from '../../registry-flag'
import { SynapseCommand } from '../../synapse-command'
import { confirm } from '../../ui/confirm'

const PREVIEW = 15

export class PluginPublish extends SynapseCommand {
  static override summary = 'Pack the plugin and publish it to a registry'
  static override description =
    'Reads config.yaml (code and version come from it), packs the folder into a .tar.gz honouring .gitignore, .synapseignore and the default ignores (node_modules, dist, .git, .synapse…), and publishes it. Files that hold secrets (.env, *.pem, id_rsa, credentials…) are never packed, even when no rule ignores them; each is named in a warning. A version already published is refused: raise the version in config.yaml. --dry-run shows what would be published and writes nothing.'
  static override examples = [
    '<%= config.bin %> plugin publish --dry-run',
    '<%= config.bin %> plugin publish --yes --registry ./registry',
    '<%= config.bin %> plugin publish --yes --registry http://registry.local:4873',
  ]

  static override flags = {
    ...pluginPathFlag,
    ...registryFlag,
    'dry-run': Flags.boolean({ description: 'Show the files and checksum; publish nothing' }),
    yes: Flags.boolean({ char: 'y', description: 'Publish without asking' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(PluginPublish)
    const prepared = await prepareRelease(flags.path)
    const { code, version, packed } = prepared
    for (const secret of packed.secretsExcluded) {
      process.stderr.write(`warning: ${secret} left out of the archive: it may hold secrets\n`)
    }
    for (const w of packed.warnings) process.stderr.write(`warning: ${w}\n`)
    const where = flags.registry ?? process.env['SYNAPSE_REGISTRY']
    const out = process.stdout
    out.write(`${code}@${version} from ${relative(process.cwd(), prepared.loaded.root) || '.'}\n`)
    out.write(`${packed.files.length} files, ${packed.archive.length} bytes packed\n`)
    for (const f of packed.files.slice(0, PREVIEW)) out.write(`  ${f}\n`)
    if (packed.files.length > PREVIEW) out.write(`  … and ${packed.files.length - PREVIEW} more\n`)
    out.write(`sha256 ${packed.checksum}\n`)
    if (flags['dry-run']) {
      out.write('dry run: nothing published\n')
      return
    }
    const registry = openRegistry(where)
    if (!flags.yes) {
      if (!process.stdin.isTTY) {
        throw new PluginError(
          'Publishing needs a confirmation: pass --yes when no terminal is attached',
          { code: 'VALIDATION_ERROR' },
        )
      }
      const target = where ?? 'the default registry'
      if (!(await confirm(`Publish ${code}@${version} to ${target}?`))) {
        out.write('not published\n')
        return
      }
    }
    const release = await publishRelease(registry, prepared)
    const shown = where !== undefined && isRegistryUrl(where) ? where : 'registry'
    out.write(`published ${release.code}@${release.version} to ${shown}\n`)
  }
}
