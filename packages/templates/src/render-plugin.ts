import { Document } from 'yaml'
import { type CategoryTemplate, type TemplateOptions, templateFor } from './category-templates'
import { TemplateError } from './template-error'
import { templateFile } from './template-file'

/** What a plugin code must look like: lowercase letters, digits and inner dashes. */
export const PLUGIN_CODE_PATTERN = /^[a-z0-9][a-z0-9-]*[a-z0-9]$|^[a-z0-9]$/

/** Versions the generated package.json asks for, besides the SDK's own packages. */
export const TEMPLATE_DEPENDENCIES = {
  zod: '^4.6.7',
  vitest: '^5.1.1',
  typescript: '^6.0.3',
  '@types/node': '^24.19.2',
} as const

/** What a plugin is created from: its identity, category and the category's options. */
export interface PluginAnswers {
  name: string
  code: string
  category: string
  description?: string
  version?: string
  /** Category options by config.yaml key; the ones not given get their defaults. */
  options?: TemplateOptions
}

/** How the generated package.json gets the SDK. */
export interface RenderOptions {
  /**
   * The dependency spec of each SDK package: `file:/path/to/packages/core` for a checkout,
   * `^0.1.0` once published. Default `^0.1.0`.
   */
  sdk?: Partial<Record<'@synapse/core' | '@synapse/actions', string>>
  /** A sentence for the README saying how the SDK packages are installed. */
  installNote?: string
}

/** A rendered plugin: the folder name to create and its files, by `/`-separated path. */
export interface RenderedPlugin {
  dirName: string
  template: CategoryTemplate
  options: TemplateOptions
  files: Record<string, string>
}

/** The folder a plugin is created in: `synapse-<code>-plugin`. */
export function pluginDirName(code: string): string {
  return `synapse-${code}-plugin`
}

/** Throws `PLUGIN_CODE_INVALID` unless `code` matches {@link PLUGIN_CODE_PATTERN}. */
export function checkPluginCode(code: string): string {
  if (!PLUGIN_CODE_PATTERN.test(code)) {
    throw new TemplateError(
      'PLUGIN_CODE_INVALID',
      `Invalid plugin code '${code}': use lowercase letters, digits and dashes, starting and ending with a letter or digit (e.g. my-plugin)`,
      { details: { code, pattern: PLUGIN_CODE_PATTERN.source } },
    )
  }
  return code
}

/** A code made from a display name (`YOLOv8 Detection` → `yolov8-detection`), or undefined. */
export function codeFromName(name: string): string | undefined {
  const code = name
    .normalize('NFKD')
    // Accents come apart from their letters under NFKD; the marks go, the letters stay.
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return code === '' ? undefined : code
}

/**
 * The category options with defaults filled in, each checked against its choices: an answer the
 * template does not offer is a `TEMPLATE_ANSWER_INVALID` error naming the option and the choices.
 */
export function resolveTemplateOptions(
  template: CategoryTemplate,
  given: TemplateOptions = {},
): TemplateOptions {
  const known = new Set(template.options.map((o) => o.key))
  for (const key of Object.keys(given)) {
    if (!known.has(key)) {
      throw new TemplateError(
        'TEMPLATE_ANSWER_INVALID',
        `The ${template.category} template has no option '${key}'${known.size > 0 ? ` (its options: ${[...known].join(', ')})` : ''}`,
        { details: { option: key } },
      )
    }
  }
  const out: Record<string, string | readonly string[]> = {}
  for (const option of template.options) {
    const choices = option.choices(out)
    const value =
      given[option.key] ?? option.default?.(out) ?? (option.multiple ? [choices[0]!] : choices[0]!)
    const values = typeof value === 'string' ? [value] : value
    if (values.length === 0 || (!option.multiple && values.length > 1)) {
      throw new TemplateError(
        'TEMPLATE_ANSWER_INVALID',
        `${option.key}: give ${option.multiple ? 'one or more' : 'one'} of ${choices.join(', ')}`,
        { details: { option: option.key } },
      )
    }
    const wrong = values.filter((v) => !choices.includes(v))
    if (wrong.length > 0) {
      throw new TemplateError(
        'TEMPLATE_ANSWER_INVALID',
        `${option.key}: '${wrong.join("', '")}' is not one of ${choices.join(', ')}`,
        { details: { option: option.key, value: wrong, choices } },
      )
    }
    out[option.key] = option.multiple ? [...values] : values[0]!
  }
  return out
}

/**
 * The files of a new plugin, derived from its category's entry in `CATEGORY_TEMPLATES`:
 * config.yaml, package.json, README.md, tsconfig.json, .gitignore, .synapseignore, the action
 * sources and the plugin's tests. Nothing is written; the caller decides where and how.
 */
export function renderPlugin(answers: PluginAnswers, options: RenderOptions = {}): RenderedPlugin {
  const template = templateFor(answers.category)
  const code = checkPluginCode(answers.code)
  const chosen = resolveTemplateOptions(template, answers.options)
  const plugin = {
    name: answers.name.trim() === '' ? code : answers.name.trim(),
    code,
    version: answers.version ?? '0.1.0',
    description: answers.description ?? `A ${template.category} plugin: ${template.summary}.`,
  }
  const files: Record<string, string> = {
    'config.yaml': configYaml(template, plugin, chosen),
    'package.json': packageJson(template, plugin, options),
    'README.md': readme(template, plugin, options),
    'tsconfig.json': TSCONFIG,
    '.gitignore': GITIGNORE,
    '.synapseignore': SYNAPSEIGNORE,
  }
  for (const action of template.actions) files[action.file] = action.source(chosen)
  for (const test of template.tests) files[test] = templateFile(`${template.category}/${test}`)
  return { dirName: pluginDirName(code), template, options: chosen, files }
}

interface PluginIdentity {
  name: string
  code: string
  version: string
  description: string
}

function configYaml(
  template: CategoryTemplate,
  plugin: PluginIdentity,
  chosen: TemplateOptions,
): string {
  const actions: Record<string, Record<string, string>> = {}
  for (const a of template.actions) {
    actions[a.name] = {
      entrypoint: `${a.file.replace(/\.ts$/, '')}:${a.exportName}`,
      method: a.method,
      description: a.description,
      ...(a.inputType !== undefined && { input_type: a.inputType }),
      ...(a.outputType !== undefined && { output_type: a.outputType }),
    }
  }
  const doc = new Document({
    ...plugin,
    category: template.category,
    readme: 'README.md',
    package_manager: 'npm',
    ...chosen,
    actions,
  })
  doc.commentBefore =
    ' Made by `synapse plugin create`. Entrypoints, methods, types and params forms follow the\n' +
    ' code: run `synapse plugin update-config` after changing it (`--check` in CI).'
  return doc.toString({ lineWidth: 0 })
}

function packageJson(
  template: CategoryTemplate,
  plugin: PluginIdentity,
  options: RenderOptions,
): string {
  const dependencies: Record<string, string> = {}
  for (const name of template.sdk) dependencies[name] = options.sdk?.[name] ?? '^0.1.0'
  dependencies['zod'] = TEMPLATE_DEPENDENCIES.zod
  const pkg = {
    name: pluginDirName(plugin.code),
    version: plugin.version,
    private: true,
    type: 'module',
    description: plugin.description,
    scripts: { test: 'vitest run', typecheck: 'tsc --noEmit' },
    dependencies,
    devDependencies: {
      '@types/node': TEMPLATE_DEPENDENCIES['@types/node'],
      typescript: TEMPLATE_DEPENDENCIES.typescript,
      vitest: TEMPLATE_DEPENDENCIES.vitest,
    },
    engines: { node: '>=22' },
  }
  return `${JSON.stringify(pkg, null, 2)}\n`
}

function readme(
  template: CategoryTemplate,
  plugin: PluginIdentity,
  options: RenderOptions,
): string {
  const rows = template.actions
    .map((a) => `| \`${a.name}\` | \`${a.file}\` | ${a.method} | ${a.description} |`)
    .join('\n')
  const params = JSON.stringify(template.exampleParams)
  return `# ${plugin.name}

${plugin.description}

| action | file | method | what it does |
| --- | --- | --- | --- |
${rows}

Tests are in \`test/\`; \`config.yaml\` holds the plugin's metadata and actions.

## Install

\`\`\`sh
npm install
\`\`\`
${options.installNote === undefined ? '' : `\n${options.installNote}\n`}
## Run, test, keep config.yaml in line

\`\`\`sh
synapse plugin run ${template.main} --path . --params '${params}'
synapse plugin test --path .                  # runs the tests in test/ (vitest)
synapse plugin update-config --path . --check # config.yaml matches the code
\`\`\`

Files listed in \`.synapseignore\` are left out when the plugin is packaged.
`
}

const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2023',
      lib: ['ES2024'],
      module: 'ESNext',
      moduleResolution: 'Bundler',
      moduleDetection: 'force',
      verbatimModuleSyntax: true,
      isolatedModules: true,
      strict: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    },
    include: ['src', 'test'],
  },
  null,
  2,
)}\n`

const GITIGNORE = `node_modules/
dist/
coverage/
.synapse/
.env
.env.*
*.log
`

const SYNAPSEIGNORE = `# Left out of the published archive
node_modules/
dist/
coverage/
.synapse/
.git/
.env
.env.*
*.log
.vscode/
.idea/
`
