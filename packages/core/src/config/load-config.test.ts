import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ACTION_DEFAULT_METHODS, enumValues, PluginCategory } from '../enums'
import { ConfigError, formatIssuePath } from '../errors/errors'
import { DataTypeRegistry, DataTypes, defineDataType } from '../types/data-type'
import { loadPluginConfig, parsePluginConfig, resolveConfigPath } from './load-config'

const root = mkdtempSync(join(tmpdir(), 'synapse-config-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let count = 0
/** Writes `text` as config.yaml in a new plugin dir; returns the dir. */
function plugin(text: string): string {
  const dir = join(root, `plugin-${++count}`)
  mkdirSync(dir)
  writeFileSync(join(dir, 'config.yaml'), text)
  return dir
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error('expected a ConfigError')
}

describe('loadPluginConfig', () => {
  it('reads a valid config and fills the defaults', () => {
    const dir = plugin(
      [
        'name: Label stats',
        'code: label-stats',
        'actions:',
        '  train:',
        '    entrypoint: plugin/train:TrainAction',
        '  inference:',
        '    entrypoint: plugin.infer.Infer',
        '  custom_thing:',
        '    entrypoint: main:run',
        '    method: restapi',
        '',
      ].join('\n'),
    )
    const loaded = loadPluginConfig(dir)
    expect(loaded.path).toBe(join(dir, 'config.yaml'))
    expect(loaded.root).toBe(dir)
    expect(loaded.config).toMatchObject({
      name: 'Label stats',
      code: 'label-stats',
      version: '0.1.0',
      category: 'custom',
      readme: 'README.md',
      wheels_dir: 'wheels',
    })
    // The method stays as written; discovery fills it from ACTION_DEFAULT_METHODS.
    expect(loaded.config.actions['train']).toEqual({ entrypoint: 'plugin/train:TrainAction' })
    expect(loaded.config.actions['custom_thing']?.method).toBe('restapi')
    // The config file path works as well as the directory.
    expect(loadPluginConfig(join(dir, 'config.yaml')).config).toEqual(loaded.config)
  })

  it('has the spec default methods', () => {
    expect(ACTION_DEFAULT_METHODS).toEqual({
      upload: 'job',
      export: 'job',
      download: 'job',
      convert: 'job',
      train: 'job',
      test: 'job',
      deployment: 'job',
      add_task_data: 'job',
      inference: 'serve',
      auto_label: 'task',
    })
  })

  it('turns a legacy string action into { entrypoint } and an empty one into {}', () => {
    const dir = plugin('name: x\ncode: x\nactions:\n  train: plugin.train.TrainAction\n  bare:\n')
    expect(loadPluginConfig(dir).config.actions).toEqual({
      train: { entrypoint: 'plugin.train.TrainAction' },
      bare: {},
    })
  })

  it('ignores unknown keys', () => {
    const dir = plugin('name: x\ncode: x\nplatform_field: 1\n')
    expect(loadPluginConfig(dir).config).not.toHaveProperty('platform_field')
  })

  it('neural_net without data_type gives exactly one issue, at data_type', () => {
    const dir = plugin('name: Detector\ncode: detector\ncategory: neural_net\n')
    const error = configError(() => loadPluginConfig(dir))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.issues).toHaveLength(1)
    expect(error.issues[0]?.path).toEqual(['data_type'])
    expect(error.issues[0]?.message).toContain("Add 'data_type: image'")
    expect(
      loadPluginConfig(plugin('name: D\ncode: d\ncategory: neural_net\ndata_type: image\n')).config
        .data_type,
    ).toBe('image')
  })

  it('accepts every category', () => {
    for (const category of enumValues(PluginCategory)) {
      const dir = plugin(`name: x\ncode: x\ncategory: ${category}\ndata_type: text\n`)
      expect(loadPluginConfig(dir).config.category).toBe(category)
    }
  })

  it('a bad enum value is reported at its file:line:col', () => {
    const dir = plugin(
      ['name: x', 'code: x', 'actions:', '  train:', '    method: nightly', ''].join('\n'),
    )
    const file = join(dir, 'config.yaml')
    const error = configError(() => loadPluginConfig(dir))
    expect(error.issues).toHaveLength(1)
    expect(error.issues[0]).toMatchObject({
      path: ['actions', 'train', 'method'],
      location: `${file}:5:13`,
    })
    expect(error.message).toContain(`${file}:5:13 actions.train.method:`)
    expect(error.message).toContain(`Invalid config in ${file} (actions.train.method)`)
  })

  it('reports every issue at once, each at its own place', () => {
    const dir = plugin(
      [
        'name: x',
        'code: Not Valid',
        'category: sideways',
        'actions:',
        '  a:',
        '    entrypoint: "no way"',
        '',
      ].join('\n'),
    )
    const file = join(dir, 'config.yaml')
    const error = configError(() => loadPluginConfig(dir))
    expect(error.issues.map((i) => [i.path.join('.'), i.location])).toEqual([
      ['code', `${file}:2:7`],
      ['category', `${file}:3:11`],
      ['actions.a.entrypoint', `${file}:6:17`],
    ])
  })

  it('a missing required key points at the mapping it belongs in', () => {
    const dir = plugin('\n\ncode: x\n')
    const error = configError(() => loadPluginConfig(dir))
    expect(error.issues).toMatchObject([
      { path: ['name'], location: `${join(dir, 'config.yaml')}:3:1` },
    ])
  })

  it('a YAML syntax error reports file:line:col', () => {
    const dir = plugin('name: x\ncode: x\nactions:\n  train: [unclosed\n')
    const file = join(dir, 'config.yaml')
    const error = configError(() => loadPluginConfig(dir))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toContain(`Invalid YAML in ${file}`)
    expect(error.issues.length).toBeGreaterThan(0)
    expect(error.issues[0]?.location).toMatch(new RegExp(`^${escapeRegExp(file)}:\\d+:\\d+$`))
    // A tab where indentation is expected: the error is on line 2, column 1.
    const tabbed = plugin('name: x\n\tcode: x\n')
    const tabError = configError(() => loadPluginConfig(tabbed))
    expect(tabError.issues[0]?.location).toBe(`${join(tabbed, 'config.yaml')}:2:1`)
  })

  it('a duplicate key is a YAML error with its location', () => {
    const dir = plugin('name: x\ncode: x\nname: y\n')
    const error = configError(() => loadPluginConfig(dir))
    expect(error.issues[0]?.location).toBe(`${join(dir, 'config.yaml')}:3:1`)
  })

  it('a config that is not a mapping is refused', () => {
    const error = configError(() => loadPluginConfig(plugin('- just\n- a list\n')))
    expect(error.issues[0]?.message).toContain('mapping')
  })

  it('an unknown input_type names the key and the known types', () => {
    const dir = plugin(
      [
        'name: x',
        'code: x',
        'actions:',
        '  convert:',
        '    input_type: yolo_datset',
        '    output_type: coco_dataset',
        '',
      ].join('\n'),
    )
    const file = join(dir, 'config.yaml')
    const error = configError(() => loadPluginConfig(dir))
    expect(error.issues).toHaveLength(1)
    expect(error.issues[0]).toMatchObject({
      path: ['actions', 'convert', 'input_type'],
      code: 'unknown_type',
      location: `${file}:5:17`,
    })
    expect(error.issues[0]?.message).toContain("unknown data type 'yolo_datset'")
    expect(error.issues[0]?.message).toContain('yolo_dataset')
    expect(error.message).toContain('actions.convert.input_type')
  })

  it('user-defined types are known through the registry passed in', () => {
    const types = new DataTypeRegistry().register(
      defineDataType({ name: 'kitti_dataset', parent: DataTypes.Dataset }),
    )
    const dir = plugin('name: x\ncode: x\nactions:\n  a:\n    output_type: kitti_dataset\n')
    const known = loadPluginConfig(dir, { types })
    expect(known.config.actions['a']?.output_type).toBe('kitti_dataset')
    expect(known.warnings).toEqual([])
    // Without the registry that knows it, the name is kept, with a warning.
    expect(loadPluginConfig(dir).warnings.map((w) => w.code)).toEqual(['unregistered_type'])
  })

  it("the spec's own example types are kept as free names, with a warning naming where", () => {
    const dir = plugin(
      [
        'name: x',
        'code: x',
        'actions:',
        '  infer:',
        '    input_type: image_file',
        '    output_type: predictions',
        '  train:',
        '    input_type: dm_v2_dataset',
        '',
      ].join('\n'),
    )
    const loaded = loadPluginConfig(dir)
    expect(loaded.config.actions['infer']).toMatchObject({
      input_type: 'image_file',
      output_type: 'predictions',
    })
    expect(loaded.warnings).toMatchObject([
      { path: ['actions', 'infer', 'input_type'], location: `${join(dir, 'config.yaml')}:5:17` },
      { path: ['actions', 'infer', 'output_type'], message: /compatible only with itself/ },
    ])
  })

  it('every mistake is reported at once: schema issues, type typos and the data_type rule', () => {
    const dir = plugin(
      [
        'name: x',
        'code: Not A Slug',
        'category: neural_net',
        'actions:',
        '  train:',
        '    method: jobb',
        '    input_type: onnx_modell',
        '',
      ].join('\n'),
    )
    const error = configError(() => loadPluginConfig(dir))
    expect(error.issues.map((i) => formatIssuePath(i.path)).sort()).toEqual([
      'actions.train.input_type',
      'actions.train.method',
      'code',
      'data_type',
    ])
    expect(error.message).toContain("unknown data type 'onnx_modell': did you mean 'onnx_model'?")
  })

  it('a missing plugin or config file is CONFIG_NOT_FOUND', () => {
    const missingDir = join(root, 'does-not-exist')
    const error = configError(() => loadPluginConfig(missingDir))
    expect(error.code).toBe('CONFIG_NOT_FOUND')
    expect(error.message).toContain(missingDir)
    const emptyDir = join(root, 'empty')
    mkdirSync(emptyDir)
    const noConfig = configError(() => loadPluginConfig(emptyDir))
    expect(noConfig.code).toBe('CONFIG_NOT_FOUND')
    expect(noConfig.details['path']).toBe(join(emptyDir, 'config.yaml'))
  })

  it('resolveConfigPath maps a dir to its config.yaml and keeps a file path', () => {
    const dir = plugin('name: x\ncode: x\n')
    expect(resolveConfigPath(dir)).toBe(join(dir, 'config.yaml'))
    expect(resolveConfigPath(join(dir, 'config.yaml'))).toBe(join(dir, 'config.yaml'))
  })

  it('parsePluginConfig works on text in hand', () => {
    const loaded = parsePluginConfig('name: x\ncode: x\n', '/somewhere/config.yaml')
    expect(loaded.root).toBe('/somewhere')
    const error = configError(() => parsePluginConfig('name: x\n', '/somewhere/config.yaml'))
    expect(error.issues[0]?.location).toBe('/somewhere/config.yaml:1:1')
  })
})

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
