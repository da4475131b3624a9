import { relative, resolve } from 'node:path'
import { Flags } from '@oclif/core'
import {
  CATEGORY_TEMPLATES,
  checkPluginCode,
  codeFromName,
  type PluginAnswers,
  renderPlugin,
  resolveTemplateOptions,
  TemplateError,
  type TemplateOptions,
  templateFor,
} from '@synapse/templates'
import { writePlugin } from '../../plugin-scaffold'
import { locateSdk } from '../../plugin-sdk'
import { SynapseCommand } from '../../synapse-command'
import { createPrompter, type Prompter } from '../../ui/prompter'

export class PluginCreate extends SynapseCommand {
  static override summary = 'Create a plugin from the template of its category'
  static override description =
    'Writes synapse-<code>-plugin/ under --path: config.yaml, the actions (on the category base actions), ' +
    'their tests, package.json, README.md, tsconfig.json, .gitignore and .synapseignore. Missing values are ' +
    'asked for on a terminal; with --yes (or without a terminal) they take their defaults. Nothing is written ' +
    'on bad input or when the folder exists and is not empty.'
  static override examples = [
    '<%= config.bin %> plugin create',
    '<%= config.bin %> plugin create --name "YOLOv8 Detection" --code yolov8 --category neural_net --path ./plugins --yes',
    '<%= config.bin %> plugin create --code my-tool --category smart_tool --yes --link',
  ]

  static override flags = {
    path: Flags.string({
      char: 'p',
      description: 'Folder to create the plugin folder in',
      default: '.',
    }),
    name: Flags.string({ char: 'n', description: 'Display name of the plugin' }),
    code: Flags.string({
      description: 'Plugin code (a slug: lowercase letters, digits, dashes); default from --name',
    }),
    category: Flags.string({
      char: 'c',
      description: `Plugin category: ${Object.keys(CATEGORY_TEMPLATES).join(', ')} (default custom)`,
    }),
    yes: Flags.boolean({ char: 'y', description: 'Never ask: defaults for what is not given' }),
    link: Flags.boolean({
      description:
        "Give the plugin a node_modules of links to this CLI's SDK packages instead of needing `npm install`",
    }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(PluginCreate)
    const interactive = !flags.yes && process.stdin.isTTY === true
    const prompter = interactive ? createPrompter(process.stdin, process.stderr) : undefined
    try {
      const answers = await gather(flags, prompter)
      const sdk = locateSdk()
      const rendered = renderPlugin(answers, { sdk: sdk.specs, installNote: sdk.installNote })
      const target = resolve(flags.path, rendered.dirName)
      if (prompter !== undefined) {
        process.stderr.write(
          `\n${target}\n${Object.keys(rendered.files)
            .sort()
            .map((f) => `  ${f}\n`)
            .join('')}`,
        )
        if (!(await prompter.confirm('Create these files?', true))) {
          process.stderr.write('Nothing written.\n')
          this.exit(1)
        }
      }
      const written = await writePlugin(rendered, target, { sdk, link: flags.link })
      const where = relative(process.cwd(), written.path) || '.'
      process.stdout.write(
        `Created ${where} (${rendered.template.category}, ${written.files.length} files)\n`,
      )
      if ('skipped' in written.sync) {
        process.stderr.write(
          `warning: config.yaml not synced (${written.sync.skipped}); after installing, run \`synapse plugin update-config --path ${where}\`\n`,
        )
      }
      const main = rendered.template.main
      process.stdout.write(
        `Next:\n${written.linked ? '' : `  cd ${where} && npm install\n`}` +
          `  synapse plugin run ${main} --path ${where} --params '${JSON.stringify(rendered.template.exampleParams)}'\n` +
          `  synapse plugin test --path ${where}\n`,
      )
    } finally {
      prompter?.close()
    }
  }
}

type CreateFlags = {
  name?: string | undefined
  code?: string | undefined
  category?: string | undefined
}

/** Fills what the flags leave out: by asking, when a terminal is there, else by defaults. */
async function gather(flags: CreateFlags, prompter: Prompter | undefined): Promise<PluginAnswers> {
  let name = flags.name
  if (name === undefined && prompter !== undefined) {
    name = await prompter.text('Plugin name', flags.code)
  }
  let code = flags.code
  if (code === undefined) {
    const derived = name === undefined ? undefined : codeFromName(name)
    code = prompter === undefined ? derived : await prompter.text('Plugin code', derived)
  }
  if (code === undefined || code === '') {
    throw new TemplateError(
      'PLUGIN_CODE_INVALID',
      'No plugin code: give --code (a slug such as my-plugin), or a --name to derive it from',
    )
  }
  checkPluginCode(code)
  let category = flags.category
  if (category === undefined) {
    category =
      prompter === undefined
        ? 'custom'
        : (
            await prompter.choose('Category', Object.keys(CATEGORY_TEMPLATES), {
              multiple: false,
              fallback: ['custom'],
            })
          )[0]!
  }
  const template = templateFor(category)
  const options: Record<string, string | readonly string[]> = {}
  if (prompter !== undefined) {
    for (const option of template.options) {
      // Defaults depend on the answers before (tasks on the data type): resolve so far, then ask.
      const so = resolveTemplateOptions(
        { ...template, options: template.options.slice(0, template.options.indexOf(option) + 1) },
        options as TemplateOptions,
      )
      const fallback = so[option.key]!
      const picked = await prompter.choose(option.prompt, option.choices(options), {
        multiple: option.multiple,
        fallback: typeof fallback === 'string' ? [fallback] : fallback,
      })
      options[option.key] = option.multiple ? picked : picked[0]!
    }
  }
  return { name: name ?? code, code, category, options }
}
