import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildCli, repoRoot, runCli } from './run-cli'

const dir = join(repoRoot, 'packages', 'cli', 'test', 'fixtures', 'schema')

beforeAll(() => buildCli())

describe('synapse plugin schema', () => {
  it('prints the FormKit form of the params: labels, defaults, bounds, options; excluded fields left out', () => {
    const { status, stdout } = runCli(['plugin', 'schema', 'train', '--path', dir])
    expect(status).toBe(0)
    const out = JSON.parse(stdout)
    expect(out.action).toBe('train')
    expect(out.ui_schemas).toEqual([
      {
        $formkit: 'number',
        name: 'epochs',
        label: 'Epochs',
        required: false,
        value: 10,
        placeholder: 10,
        help: 'Passes over the data',
        min: 1,
        max: 1000,
        number: 'integer',
        validation: 'min:1|max:1000',
      },
      {
        $formkit: 'select',
        name: 'optimizer',
        label: 'Optimizer',
        required: false,
        value: 'adam',
        placeholder: 'adam',
        options: [
          { label: 'sgd', value: 'sgd' },
          { label: 'adam', value: 'adam' },
        ],
      },
    ])
  })

  it('--format jsonschema: what a caller may send; --result: what the action returns', () => {
    const params = JSON.parse(
      runCli(['plugin', 'schema', 'train', '--path', dir, '--format', 'jsonschema']).stdout,
    )
    expect(params.required).toEqual(['dataset'])
    expect(params.properties.epochs).toMatchObject({ type: 'integer', minimum: 1, default: 10 })
    const result = JSON.parse(
      runCli(['plugin', 'schema', 'train', '--path', dir, '--result', '-f', 'jsonschema']).stdout,
    )
    expect(result.properties).toEqual({ finalLoss: { type: 'number' } })
  })

  it('an action with no result schema answers null and says why', () => {
    const { status, stdout, stderr } = runCli([
      'plugin',
      'schema',
      'bare',
      '--path',
      dir,
      '--result',
    ])
    expect(status).toBe(0)
    expect(stdout.trim()).toBe('null')
    expect(stderr).toContain("action 'bare' declares no result schema")
  })

  it('an unknown action or format: a clear error and exit 2', () => {
    const missing = runCli(['plugin', 'schema', 'tune', '--path', dir])
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain("Action 'tune' not found. Available actions: train, bare")
    const format = runCli(['plugin', 'schema', 'train', '--path', dir, '--format', 'xml'])
    expect(format.status).toBe(2)
    expect(format.stderr).toMatch(/Expected --format=xml to be one of: formkit, jsonschema/)
  })
})
