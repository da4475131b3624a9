import { PluginConfigSchema, PluginError, parsePluginConfig } from '@synapse/core'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import {
  CATEGORY_TEMPLATES,
  codeFromName,
  PLUGIN_CODE_PATTERN,
  renderPlugin,
  resolveTemplateOptions,
  templateFor,
} from '../src/index'

const categories = Object.keys(CATEGORY_TEMPLATES)
const configKeys = new Set(Object.keys(PluginConfigSchema.shape))

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    return PluginError.is(error) ? error.code : String(error)
  }
  return undefined
}

describe('renderPlugin', () => {
  it('has a template for every category core knows', () => {
    expect(categories.sort()).toEqual(
      [...(PluginConfigSchema.shape.category.unwrap().options as string[])].sort(),
    )
  })

  it.each(categories)(
    '%s: config.yaml loads, and every key it writes is one core reads',
    (category) => {
      const { files, template } = renderPlugin({ name: 'Demo', code: 'demo', category })
      const raw = parse(files['config.yaml']!) as Record<string, unknown>
      // The Python SDK wrote smart_tool_type and supported_data_types, which its config dropped.
      expect(Object.keys(raw).filter((key) => !configKeys.has(key))).toEqual([])
      const { config } = parsePluginConfig(files['config.yaml']!, '/plugin/config.yaml')
      expect(config.category).toBe(category)
      expect(Object.keys(config.actions)).toEqual(template.actions.map((a) => a.name))
      expect(config.actions[template.main]).toBeDefined()
      for (const option of template.options) expect(raw[option.key]).toBeDefined()
      // Each entrypoint names a generated file and an export that file declares.
      for (const action of template.actions) {
        const [module, name] = config.actions[action.name]!.entrypoint!.split(':')
        expect(files[`${module}.ts`]).toMatch(new RegExp(`export (const|class) ${name}\\b`))
      }
    },
  )

  it.each(categories)('%s: the plugin files and its own tests are all there', (category) => {
    const { files, dirName } = renderPlugin({ name: 'Demo', code: 'demo-1', category })
    expect(dirName).toBe('synapse-demo-1-plugin')
    for (const name of [
      'config.yaml',
      'package.json',
      'README.md',
      'tsconfig.json',
      '.gitignore',
      '.synapseignore',
    ]) {
      expect(files[name], name).toBeTypeOf('string')
    }
    expect(Object.keys(files).some((f) => /^test\/.+\.test\.ts$/.test(f))).toBe(true)
    const pkg = JSON.parse(files['package.json']!) as {
      type: string
      scripts: { test: string }
      dependencies: Record<string, string>
    }
    expect(pkg.type).toBe('module')
    expect(pkg.scripts.test).toBe('vitest run')
    expect(Object.keys(pkg.dependencies)).toEqual([...templateFor(category).sdk, 'zod'])
    expect(files['.synapseignore']).toMatch(/^\.env$/m)
  })

  it('takes the SDK dependency specs it is given', () => {
    const { files } = renderPlugin(
      { name: 'Demo', code: 'demo', category: 'export' },
      { sdk: { '@synapse/core': 'file:/src/core', '@synapse/actions': 'file:/src/actions' } },
    )
    expect(JSON.parse(files['package.json']!).dependencies).toMatchObject({
      '@synapse/core': 'file:/src/core',
      '@synapse/actions': 'file:/src/actions',
    })
  })
})

describe('category options', () => {
  it('neural_net: the tasks offered follow the data type, written as type.task', () => {
    const { files } = renderPlugin({
      name: 'Speech',
      code: 'speech',
      category: 'neural_net',
      options: { data_type: 'audio', tasks: ['audio.transcription', 'audio.classification'] },
    })
    const raw = parse(files['config.yaml']!) as Record<string, unknown>
    expect(raw['data_type']).toBe('audio')
    expect(raw['tasks']).toEqual(['audio.transcription', 'audio.classification'])
    expect(resolveTemplateOptions(templateFor('neural_net'), { data_type: 'text' })).toEqual({
      data_type: 'text',
      tasks: ['text.classification'],
    })
  })

  it('upload: the supported data types set config.yaml and the extensions the code allows', () => {
    const { files } = renderPlugin({
      name: 'Media',
      code: 'media',
      category: 'upload',
      options: { supported_data_type: ['video', 'audio'] },
    })
    expect(parse(files['config.yaml']!).supported_data_type).toEqual(['video', 'audio'])
    expect(files['src/upload.ts']).toContain('".mp4"')
    expect(files['src/upload.ts']).toContain('".wav"')
    expect(files['src/upload.ts']).not.toContain('".png"')
  })

  it('smart_tool: annotation category, type and tool type land under the keys core reads', () => {
    const { files } = renderPlugin({
      name: 'Clicker',
      code: 'clicker',
      category: 'smart_tool',
      options: { annotation_type: 'polygon', smart_tool: 'automatic' },
    })
    const { config } = parsePluginConfig(files['config.yaml']!, '/p/config.yaml')
    expect(config).toMatchObject({
      annotation_category: 'object_detection',
      annotation_type: 'polygon',
      smart_tool: 'automatic',
    })
    expect(files['src/auto-label.ts']).toContain('export const ANNOTATION_TYPE = "polygon"')
  })

  it('an answer a template does not offer is refused, naming the option and the choices', () => {
    const wrong = () =>
      renderPlugin({
        name: 'x',
        code: 'x',
        category: 'neural_net',
        options: { data_type: 'image', tasks: ['text.ner'] },
      })
    expect(codeOf(wrong)).toBe('TEMPLATE_ANSWER_INVALID')
    expect(wrong).toThrow(/tasks: 'text\.ner' is not one of image\.object_detection, /)
    expect(() =>
      renderPlugin({ name: 'x', code: 'x', category: 'custom', options: { data_type: 'image' } }),
    ).toThrow(/The custom template has no option 'data_type'/)
  })
})

describe('bad input', () => {
  it('an unknown template is TEMPLATE_NOT_FOUND, listing the templates', () => {
    const render = () => renderPlugin({ name: 'x', code: 'x', category: 'neural-net' })
    expect(codeOf(render)).toBe('TEMPLATE_NOT_FOUND')
    expect(render).toThrow(/No template for category 'neural-net'; the templates are: neural_net, /)
  })

  it.each(['My_Plugin', '-lead', 'trail-', 'UPPER', 'a b', ''])('code %j is not a slug', (code) => {
    expect(codeOf(() => renderPlugin({ name: 'x', code, category: 'custom' }))).toBe(
      'PLUGIN_CODE_INVALID',
    )
  })

  it('codes: the spec pattern, and one derived from a display name', () => {
    expect(['a', 'a1', 'yolo-v8', '9'].every((c) => PLUGIN_CODE_PATTERN.test(c))).toBe(true)
    expect(codeFromName('YOLOv8 Object Detection')).toBe('yolov8-object-detection')
    expect(codeFromName('  Café — déjà vu! ')).toBe('cafe-deja-vu')
    expect(codeFromName('***')).toBeUndefined()
  })
})
