import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  defineAction,
  ExecutionError,
  type ExecutorProtocol,
  executeViaSubmit,
  type RunEvent,
} from '@synapse/core'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ActionPipeline, PIPELINE_EVENT, PipelineAlreadyCompletedError } from '../src/index'
import { adaptersWithCocoToYolo, download, evaluate, openFixture, train } from './fixtures'

const quiet = { onDiagnostic: () => {} }
let fixture: ReturnType<typeof openFixture> | undefined
afterEach(async () => {
  await fixture?.close()
  fixture = undefined
})

async function collect(iterable: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const events: RunEvent[] = []
  for await (const event of iterable) events.push(event)
  return events
}

function trainFlow() {
  return new ActionPipeline([download, train, evaluate], {
    name: 'train-flow',
    insertConverters: true,
    adapters: adaptersWithCocoToYolo(),
    ...quiet,
  })
}

describe('ActionPipeline.run', () => {
  it('runs each action as a run of its own linked to the pipeline run, through the converter', async () => {
    fixture = openFixture()
    const { store } = fixture
    const pipeline = trainFlow()
    const result = await pipeline.run(
      { dataset: 'ds', epochs: 3, threshold: 0.5 },
      { ...fixture, runId: 'p-1' },
    )
    expect(result).toEqual({
      map50: 0.5 + '/data/ds/yolo/w-3.pt'.length / 100,
      weights: '/data/ds/yolo/w-3.pt',
    })
    const record = await store.getRun('p-1')
    expect(record).toMatchObject({
      action: 'train-flow',
      executor: 'pipeline',
      status: 'completed',
    })
    const children = await store.listRuns({ parentRunId: 'p-1' })
    expect(children.map((r) => [r.action, r.status, r.executor]).sort()).toEqual([
      ['download', 'completed', 'local'],
      ['evaluate', 'completed', 'local'],
      ['train', 'completed', 'local'],
    ])
    // The converter's output reached train: the path was rewritten from coco to yolo.
    const trainRun = children.find((r) => r.action === 'train')
    expect(trainRun?.params).toMatchObject({ path: '/data/ds/yolo', epochs: 3, dataset: 'ds' })
    const state = await pipeline.status('p-1', { store })
    expect(state.status).toBe('completed')
    expect(state.percent).toBe(100)
    expect(state.steps.map((s) => [s.name, s.status])).toEqual([
      ['download', 'completed'],
      ['coco_to_yolo', 'completed'],
      ['train', 'completed'],
      ['evaluate', 'completed'],
    ])
    // The loss report is kept with the run, on the converter's step and in its checkpoint.
    expect(state.steps[1]?.loss).toEqual({
      summary: 'segmentation polygons reduced to boxes',
      details: { polygons: 3 },
    })
    expect(state.checkpoints.map((c) => c.index)).toEqual([0, 1, 2, 3])
    expect(state.checkpoints[2]?.result).toEqual({
      weights: '/data/ds/yolo/w-3.pt',
      trainedAt: '2026-03-04T05:06:07.000Z',
    })
  })

  it('merges by the shallow rule (result keys win, the rest carries on) and a mapping fixes an edge', async () => {
    fixture = openFixture()
    const seen: Record<string, unknown>[] = []
    const step = defineAction(
      { name: 'dataset', params: z.object({ operation: z.string(), n: z.number() }).loose() },
      (p) => {
        seen.push({ ...p })
        return { n: p.n + 1, [`did_${p.operation}`]: true }
      },
    )
    const pipeline = new ActionPipeline(
      [step, step, { action: step, mapParams: (m) => ({ ...m, operation: 'convert' }) }],
      quiet,
    )
    expect(pipeline.steps.map((s) => s.name)).toEqual(['dataset', 'dataset-2', 'dataset-3'])
    const result = await pipeline.run({ operation: 'download', n: 0, keep: 'me' }, fixture)
    // The spec's gotcha, kept: the second step still sees operation 'download'.
    expect(seen.map((p) => p['operation'])).toEqual(['download', 'download', 'convert'])
    expect(seen.map((p) => p['n'])).toEqual([0, 1, 2])
    expect(seen[2]).toMatchObject({ keep: 'me', did_download: true })
    expect(result).toEqual({ n: 3, did_convert: true })
  })

  it('reports its percent from weighted steps, and each step by status and progress', async () => {
    fixture = openFixture()
    const slow = defineAction({ name: 'slow' }, async (_p, ctx) => {
      for (let i = 1; i <= 4; i++) {
        ctx.setProgress(i, 4)
        // The run logger writes progress at most every 100 ms: each quarter waits that out.
        await new Promise((resolve) => setTimeout(resolve, 120))
      }
      return {}
    })
    const quick = defineAction({ name: 'quick' }, () => ({}))
    const pipeline = new ActionPipeline([{ action: slow, weight: 3 }, quick], quiet)
    await pipeline.run({}, { ...fixture, runId: 'p-progress' })
    const events = await collect(fixture.store.readEvents('p-progress'))
    const overall = events.flatMap((e) =>
      e.type === 'progress' && e.category === 'pipeline' ? [e.percent] : [],
    )
    // slow owns 75 of 100: its quarters are 18.75 each; quick's completion brings the rest.
    expect(overall).toEqual([18.75, 37.5, 56.25, 75, 75, 100])
    const perStep = events.flatMap((e) =>
      e.type === 'progress' && e.category === 'step:slow' ? [e.percent] : [],
    )
    expect(perStep).toEqual([25, 50, 75, 100])
    // Each step starts once and completes once; a checkpoint doubles as the next step's start.
    const steps = events.flatMap((e) => {
      if (e.type !== 'log') return []
      if (e.event === PIPELINE_EVENT.step) return [`${e.data['name']}:${e.data['status']}`]
      if (e.event !== PIPELINE_EVENT.checkpoint) return []
      const next = e.data['next'] as { name: string } | undefined
      return [`${e.data['name']}:completed`, ...(next ? [`${next.name}:running`] : [])]
    })
    expect(steps).toEqual(['slow:running', 'slow:completed', 'quick:running', 'quick:completed'])
  })
})

describe('a failing step, and resume', () => {
  it('fails the pipeline with its error stored and completed results kept; resume runs only the rest', async () => {
    fixture = openFixture()
    const flag = join(fixture.dir, 'broken')
    writeFileSync(flag, '')
    let downloads = 0
    const counted = defineAction(
      {
        name: 'download',
        params: download.params,
        result: download.result,
        outputType: 'coco_dataset',
      },
      (p) => {
        downloads++
        return { path: `/data/${p.dataset}/coco`, operation: 'download' }
      },
    )
    const flaky = defineAction(
      { name: 'train', params: train.params, result: train.result, inputType: 'yolo_dataset' },
      (p) => {
        if (existsSync(flag)) throw new Error('GPU fell off the bus')
        return { weights: `${p.path}/w.pt`, trainedAt: new Date('2026-01-01T00:00:00Z') }
      },
    )
    const pipeline = new ActionPipeline([counted, flaky, evaluate], {
      insertConverters: true,
      adapters: adaptersWithCocoToYolo(),
      ...quiet,
    })
    const params = { dataset: 'ds', epochs: 1, threshold: 0.25 }
    const failure = await pipeline
      .run(params, { ...fixture, runId: 'p-fail' })
      .catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(ExecutionError)
    expect((failure as Error).message).toBe(
      "Pipeline 'pipeline' failed at step 3 'train': Action 'train' failed: GPU fell off the bus",
    )
    const { store } = fixture
    const failed = await pipeline.status('p-fail', { store })
    expect(failed.status).toBe('failed')
    expect(failed.error?.message).toContain('GPU fell off the bus')
    expect(failed.steps.map((s) => s.status)).toEqual([
      'completed',
      'completed',
      'failed',
      'pending',
    ])
    expect(failed.checkpoints.filter(Boolean).map((c) => c.name)).toEqual([
      'download',
      'coco_to_yolo',
    ])

    rmSync(flag)
    await pipeline.resume('p-fail', fixture)
    const outcome = await pipeline.wait('p-fail', { store })
    expect(outcome.status).toBe('completed')
    expect(outcome.result).toEqual({
      map50: '/data/ds/yolo/w.pt'.length / 100 + 0.25,
      weights: '/data/ds/yolo/w.pt',
    })
    expect(downloads).toBe(1)
    const resumed = await pipeline.status('p-fail', { store })
    expect(resumed).toMatchObject({ status: 'completed', attempt: 2, percent: 100 })
    expect(resumed.steps.every((s) => s.status === 'completed')).toBe(true)
    // The failed step run stays as it ended; the resume ran train again under a new id.
    const trainRuns = (await store.listRuns({ parentRunId: 'p-fail', action: 'train' })).map(
      (r) => [r.runId, r.status],
    )
    expect(trainRuns.sort()).toEqual([
      ['p-fail.1.2', 'failed'],
      ['p-fail.2.2', 'completed'],
    ])
  })

  it('resuming a completed run throws PipelineAlreadyCompletedError and runs nothing', async () => {
    fixture = openFixture()
    const pipeline = trainFlow()
    await pipeline.run({ dataset: 'ds', epochs: 1, threshold: 0 }, { ...fixture, runId: 'p-done' })
    const before = await fixture.store.listRuns({ limit: 100 })
    const lastSeq = (await fixture.store.getRun('p-done'))?.lastSeq
    const error = await pipeline.resume('p-done', fixture).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PipelineAlreadyCompletedError)
    expect(error).toMatchObject({ code: 'PIPELINE_ALREADY_COMPLETED' })
    expect((error as Error).message).toBe(
      "Pipeline run 'p-done' already completed; there is nothing to resume",
    )
    expect(await fixture.store.listRuns({ limit: 100 })).toHaveLength(before.length)
    expect((await fixture.store.getRun('p-done'))?.lastSeq).toBe(lastSeq)
  })

  it('resume refuses a pipeline whose steps are not those of the run', async () => {
    fixture = openFixture()
    const one = defineAction({ name: 'one' }, () => {
      throw new Error('no')
    })
    await new ActionPipeline([one], quiet).run({}, { ...fixture, runId: 'p-x' }).catch(() => {})
    const other = new ActionPipeline([defineAction({ name: 'two' }, () => ({}))], quiet)
    await expect(other.resume('p-x', fixture)).rejects.toMatchObject({ code: 'PIPELINE_MISMATCH' })
  })

  it('cancel stops the step going and ends the run cancelled; resume then finishes it', async () => {
    fixture = openFixture()
    let block = true
    const started = Promise.withResolvers<void>()
    const waits = defineAction({ name: 'waits' }, async (_p, ctx) => {
      if (!block) return { waited: false }
      started.resolve()
      await new Promise((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true })
      })
      return { waited: true }
    })
    const first = defineAction({ name: 'first' }, () => ({ first: true }))
    const pipeline = new ActionPipeline([first, waits], quiet)
    const runId = await pipeline.submit({}, fixture)
    await started.promise
    expect(await pipeline.cancel(runId)).toBe('cancelled')
    const outcome = await pipeline.wait(runId, { store: fixture.store })
    expect(outcome.status).toBe('cancelled')
    expect(outcome.error?.code).toBe('RUN_CANCELLED')
    expect(await pipeline.cancel(runId, { store: fixture.store })).toBe('already-terminal')
    block = false
    await pipeline.resume(runId, fixture)
    expect(await pipeline.wait(runId, { store: fixture.store })).toMatchObject({
      status: 'completed',
      result: { waited: false },
    })
  })
})

describe('watching a pipeline run', () => {
  it('stores its progress while a step runs, and another instance can wait for it through the store', async () => {
    fixture = openFixture()
    const release = Promise.withResolvers<void>()
    const half = Promise.withResolvers<void>()
    const long = defineAction({ name: 'long' }, async (_p, ctx) => {
      ctx.setProgress(1, 2)
      half.resolve()
      await release.promise
      return { done: true }
    })
    const pipeline = new ActionPipeline([long, long], quiet)
    const runId = await pipeline.submit({}, fixture)
    await half.promise
    const { store } = fixture
    // Progress between checkpoints reaches the store by its timer, without a step ending.
    let state = await pipeline.status(runId, { store })
    for (let i = 0; i < 50 && state.percent === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      state = await pipeline.status(runId, { store })
    }
    expect(state).toMatchObject({ status: 'running', percent: 25 })
    expect(state.steps.map((s) => [s.status, s.percent])).toEqual([
      ['running', 50],
      ['pending', 0],
    ])
    const other = new ActionPipeline([long, long], quiet)
    await expect(other.wait(runId, { store, timeoutMs: 50 })).rejects.toMatchObject({
      code: 'WAIT_TIMEOUT',
    })
    const waiting = other.wait(runId, { store })
    release.resolve()
    expect(await waiting).toMatchObject({ status: 'completed', result: { done: true } })
  })

  it('status and resume of an unknown run fail with RUN_NOT_FOUND', async () => {
    fixture = openFixture()
    const pipeline = new ActionPipeline([download], quiet)
    await expect(pipeline.status('nope', fixture)).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' })
    await expect(pipeline.resume('nope', fixture)).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' })
    await expect(pipeline.wait('nope', fixture)).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' })
  })
})

describe('any executor', () => {
  it('runs on an executor that only submits and follows runs (execute built from the protocol)', async () => {
    fixture = openFixture()
    const local = fixture.executor
    const submitted: string[] = []
    const viaProtocol: ExecutorProtocol = {
      name: 'via-protocol',
      execute: (request, options) => executeViaSubmit(viaProtocol, request, options),
      submit: (request) => {
        submitted.push(request.runId ?? '?')
        return local.submit(request)
      },
      status: (runId) => local.status(runId),
      events: (runId, options) => local.events(runId, options),
      wait: (runId, options) => local.wait(runId, options),
      cancel: (runId, options) => local.cancel(runId, options),
      close: () => local.close(),
    }
    const pipeline = trainFlow()
    const result = await pipeline.run(
      { dataset: 'ds', epochs: 2, threshold: 0 },
      { executor: viaProtocol, store: fixture.store, runId: 'p-any' },
    )
    expect(result).toEqual({
      map50: '/data/ds/yolo/w-2.pt'.length / 100,
      weights: '/data/ds/yolo/w-2.pt',
    })
    expect(submitted).toEqual(['p-any.1.0', 'p-any.1.2', 'p-any.1.3'])
    // train's Date result reached the checkpoint as JSON and the next step as a Date.
    const state = await pipeline.status('p-any', fixture)
    expect(state.checkpoints[2]?.result).toMatchObject({ trainedAt: '2026-03-04T05:06:07.000Z' })
  })
})
