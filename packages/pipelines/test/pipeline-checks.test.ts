import {
  DataTypeRegistry,
  defineAction,
  SchemaIncompatibleError,
  TypeAdapterRegistry,
} from '@synapse/core'
import { thrownError } from '@synapse/core/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ActionPipeline, type PipelineDiagnostic } from '../src/index'
import { adaptersWithCocoToYolo, download, evaluate, openFixture, train } from './fixtures'

const quiet = { onDiagnostic: () => {} }
let fixture: ReturnType<typeof openFixture> | undefined
afterEach(async () => {
  await fixture?.close()
  fixture = undefined
})

describe('ActionPipeline construction checks', () => {
  it('warns by default on an edge whose types do not fit, naming the pair and the types', () => {
    const heard: PipelineDiagnostic[] = []
    const pipeline = new ActionPipeline([download, train], {
      adapters: new TypeAdapterRegistry(),
      onDiagnostic: (d) => heard.push(d),
    })
    const mismatch = pipeline.diagnostics.find((d) => d.code === 'TYPE_MISMATCH')
    expect(mismatch).toMatchObject({
      severity: 'warning',
      from: 'download',
      to: 'train',
      fromType: 'coco_dataset',
      toType: 'yolo_dataset',
    })
    expect(mismatch?.message).toBe(
      "Type mismatch: 'download' outputs 'coco_dataset' but 'train' expects 'yolo_dataset'.",
    )
    expect(heard).toContain(mismatch)
  })

  it('in strict mode throws SchemaIncompatibleError before anything runs: the store stays empty', async () => {
    fixture = openFixture()
    const error = thrownError(
      () =>
        new ActionPipeline([download, train], {
          strict: true,
          initialParams: ['dataset', 'epochs'],
          adapters: new TypeAdapterRegistry(),
        }),
    )
    expect(error).toBeInstanceOf(SchemaIncompatibleError)
    expect(error.code).toBe('SCHEMA_INCOMPATIBLE')
    expect(error.message).toContain(
      "'download' outputs 'coco_dataset' but 'train' expects 'yolo_dataset'",
    )
    expect(await fixture.store.listRuns()).toEqual([])
  })

  it('fits a subtype to its parent, and a free type name only to itself', () => {
    const types = new DataTypeRegistry()
    const a = defineAction({ name: 'a', outputType: 'my_blob' }, () => ({}))
    const b = defineAction(
      { name: 'b', inputType: 'my_blob', outputType: 'onnx_model' },
      () => ({}),
    )
    const c = defineAction({ name: 'c', inputType: 'model', outputType: 'other_blob' }, () => ({}))
    const d = defineAction({ name: 'd', inputType: 'data' }, () => ({}))
    const ok = new ActionPipeline([a, b, c], { types, strict: true })
    expect(ok.diagnostics).toEqual([])
    const free = new ActionPipeline([c, d], { types, ...quiet })
    expect(free.diagnostics.map((x) => [x.code, x.fromType, x.toType])).toEqual([
      ['TYPE_MISMATCH', 'other_blob', 'data'],
    ])
  })

  it('names the required params no earlier result covers; strict throws unless they are initial', () => {
    const pipeline = new ActionPipeline([download, train, evaluate], {
      insertConverters: true,
      adapters: adaptersWithCocoToYolo(),
      ...quiet,
    })
    const missing = pipeline.diagnostics.filter((d) => d.code === 'MISSING_PARAMS')
    expect(missing.map((d) => [d.from, d.to, d.missing])).toEqual([
      ['coco_to_yolo', 'train', ['epochs']],
      ['train', 'evaluate', ['threshold']],
    ])
    expect(missing.every((d) => d.severity === 'info')).toBe(true)
    const strict = thrownError(
      () =>
        new ActionPipeline([download, train, evaluate], {
          strict: true,
          insertConverters: true,
          adapters: adaptersWithCocoToYolo(),
          initialParams: ['dataset', 'epochs'],
        }),
    )
    expect(strict.message).toContain("'evaluate' requires 'threshold'")
    expect(strict.message).not.toContain("'epochs'")
  })

  it('a required param that is optional or defaulted is not required', () => {
    const first = defineAction({ name: 'first', result: z.object({ x: z.number() }) }, () => ({
      x: 1,
    }))
    const second = defineAction(
      {
        name: 'second',
        params: z.object({ x: z.number(), y: z.string().optional(), z: z.number().default(2) }),
      },
      () => ({}),
    )
    expect(new ActionPipeline([first, second], { strict: true }).diagnostics).toEqual([])
  })

  it('an empty pipeline, or a step that is not an action, is refused', () => {
    expect(() => new ActionPipeline([])).toThrow(/at least one action/)
    expect(() => new ActionPipeline([{} as never])).toThrow(/must be an action/)
  })
})

describe('ActionPipeline.plan', () => {
  it('finds a missing required param at plan time, naming the step and the field, and submit refuses', async () => {
    fixture = openFixture()
    const pipeline = new ActionPipeline([download, train, evaluate], {
      insertConverters: true,
      adapters: adaptersWithCocoToYolo(),
      ...quiet,
    })
    const plan = pipeline.plan({ dataset: 'ds', epochs: 2 })
    expect(plan.ok).toBe(false)
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toMatchObject([
      { code: 'MISSING_PARAMS', to: 'evaluate', missing: ['threshold'] },
    ])
    expect(pipeline.plan({ dataset: 'ds', epochs: 2, threshold: 0.5 }).ok).toBe(true)
    const error = await pipeline.submit({ dataset: 'ds', epochs: 2 }, fixture).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    )
    expect(error?.code).toBe('INVALID_PARAMS')
    expect(error?.message).toContain('evaluate.threshold')
    expect(await fixture.store.listRuns()).toEqual([])
  })

  it("validates the first action's params by its schema", () => {
    const pipeline = new ActionPipeline([download], quiet)
    const plan = pipeline.plan({ dataset: 42 })
    expect(plan.ok).toBe(false)
    expect(plan.diagnostics[0]).toMatchObject({
      code: 'INVALID_PARAMS',
      to: 'download',
      missing: ['dataset'],
    })
  })

  it('shows an inserted converter in the plan and its text, lossy marked', () => {
    const pipeline = new ActionPipeline([download, train, evaluate], {
      insertConverters: true,
      adapters: adaptersWithCocoToYolo(),
      name: 'train-flow',
      ...quiet,
    })
    const plan = pipeline.plan({ dataset: 'ds', epochs: 1, threshold: 0.1 })
    expect(plan.steps.map((s) => [s.kind, s.name])).toEqual([
      ['action', 'download'],
      ['converter', 'coco_to_yolo'],
      ['action', 'train'],
      ['action', 'evaluate'],
    ])
    expect(plan.diagnostics).toMatchObject([
      { code: 'CONVERTER_INSERTED', from: 'download', to: 'train' },
    ])
    expect(plan.text.split('\n')).toEqual([
      "pipeline 'train-flow' (4 steps)",
      '  1. download      action     → coco_dataset',
      '  2. coco_to_yolo  converter  coco_dataset → yolo_dataset  lossy',
      '  3. train         action     yolo_dataset → model_weights',
      '  4. evaluate      action     model → test_results',
      "info: 'download' outputs 'coco_dataset' and 'train' expects 'yolo_dataset': inserted coco_to_yolo (lossy)",
    ])
  })

  it('without opting in, a bridgeable edge is a mismatch whose message says how to bridge it', () => {
    const pipeline = new ActionPipeline([download, train], {
      adapters: adaptersWithCocoToYolo(),
      ...quiet,
    })
    expect(pipeline.steps).toHaveLength(2)
    expect(pipeline.diagnostics[0]?.message).toContain(
      'coco_to_yolo could bridge it: pass insertConverters: true',
    )
  })
})
