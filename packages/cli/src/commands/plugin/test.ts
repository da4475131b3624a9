import { spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { constants } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { ConfigError } from '@synapse/core'
import { pluginPathFlag } from '../../plugin-flags'
import { SynapseCommand } from '../../synapse-command'

export class PluginTest extends SynapseCommand {
  static override summary = "Run the plugin's own tests"
  static override description =
    "Runs the `test` script of the plugin's package.json in the plugin folder (with its node_modules/.bin on PATH, " +
    'as npm does), or `vitest run` when there is no script. Arguments after -- go to the test command; ' +
    "its exit code is this command's."
  static override examples = [
    '<%= config.bin %> plugin test --path ./synapse-my-plugin-plugin',
    '<%= config.bin %> plugin test -- --reporter verbose',
  ]
  static override strict = false

  static override flags = {
    ...pluginPathFlag,
  }

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(PluginTest)
    const root = pluginRoot(flags.path)
    const script = testScript(root)
    const extra = (argv as string[]).map(shellQuote).join(' ')
    const command = `${script ?? 'vitest run'}${extra === '' ? '' : ` ${extra}`}`
    // The Node running this CLI comes first, so the tests run on it and not on an older one.
    const path = [
      join(root, 'node_modules', '.bin'),
      dirname(process.execPath),
      process.env['PATH'],
    ]
      .filter((p) => p !== undefined && p !== '')
      .join(delimiter)
    process.stderr.write(`${root}: ${command}\n`)
    const code = await new Promise<number>((done, fail) => {
      const child = spawn(command, {
        cwd: root,
        shell: true,
        stdio: 'inherit',
        env: { ...process.env, PATH: path },
      })
      child.on('error', fail)
      child.on('exit', (status, signal) =>
        done(status ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0))),
      )
    })
    if (code !== 0) this.exit(code)
  }
}

function pluginRoot(path: string): string {
  const abs = resolve(path)
  const root = existsSync(abs) && statSync(abs).isFile() ? dirname(abs) : abs
  if (!existsSync(join(root, 'package.json'))) {
    throw new ConfigError(`No package.json in ${root}: not a plugin folder`, [], {
      code: 'CONFIG_NOT_FOUND',
      details: { path: root },
    })
  }
  return root
}

function testScript(root: string): string | undefined {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>
  }
  const script = pkg.scripts?.['test']
  return typeof script === 'string' && script.trim() !== '' ? script : undefined
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`
}
