import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, runCli, startCli } from './run-cli'

const flow = join(import.meta.dirname, 'fixtures', 'flow')
let tmp: string

beforeAll(() => {
  buildCli()
  tmp = mkdtempSync(join(tmpdir(), 'synapse-pipeline-'))
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

let made = 0
/** A folder of its own for a test: its store file, its log, its pipeline files. */
function workdir() {
  const dir = join(tmp, `t${++made}`)
  const store = join(dir, 'synapse.db')
  const log = join(dir, 'steps.log')
  mkdirSync(dir, { recursive: true })
  return {
    dir,
    store,
    log,
    /** Writes a pipeline file here; `plugin: flow` in it names the fixture plugin. */
    file(name: string, lines: string[]): string {
      const path = join(tmp, `${made}-${name}`)
      writeFileSync(path, lines.join('\n').replaceAll('plugin: flow', `plugin: ${flow}`))
      return path
    },
    /** Which steps ran, in order, as the fixture's actions log them. */
    ran(): string[] {
      return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []
    },
  }
}

/** prepare → slow → flaky → finish, strict, as the fixture's checks-flow.yaml. */
const checksFlow = join(flow, 'checks-flow.yaml')

function pipeline(args: string[], store: string) {
  return runCli(['pipeline', ...args, '--store', store])
}

function statusOf(runId: string, store: string) {
  const shown = pipeline(['status', runId, '--json'], store)
  expect(shown.stderr).toBe('')
  return JSON.parse(shown.stdout)
}

function runsIn(store: string): unknown[] {
  const list = runCli(['runs', 'list', '--store', store, '--json'])
  return list.status === 0 ? JSON.parse(list.stdout) : []
}

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('synapse pipeline', () => {
  it('plan shows the converter it splices in; run keeps its loss report with the run', () => {
    const w = workdir()
    const file = join(flow, 'dataset-flow.yaml')
    const params = JSON.stringify({ root: join(w.dir, 'data') })
    const plan = runCli(['pipeline', 'plan', file, '--params', params])
    expect(plan.status).toBe(0)
    expect(plan.stdout).toMatch(
      /2\. coco_to_yolo\s+converter\s+coco_dataset → yolo_dataset\s+lossy/,
    )
    expect(runsIn(w.store)).toEqual([])

    const json = runCli(['pipeline', 'plan', file, '--params', params, '--json'])
    expect(JSON.parse(json.stdout).steps.map((s: { name: string }) => s.name)).toEqual([
      'export-coco',
      'coco_to_yolo',
      'count-labels',
    ])

    const run = pipeline(['run', file, '--params', params, '--run-id', 'ds', '--json'], w.store)
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({
      runId: 'ds',
      status: 'completed',
      result: { labels: 2, path: join(w.dir, 'data', 'coco-yolo') },
    })
    const state = statusOf('ds', w.store)
    expect(state.steps[1]).toMatchObject({
      name: 'coco_to_yolo',
      kind: 'converter',
      status: 'completed',
      loss: { summary: '1 crowd region dropped' },
    })
    expect(state.checkpoints[1].loss.details.losses[0]).toMatchObject({ subject: 'crowd region' })
    const text = pipeline(['status', 'ds'], w.store)
    expect(text.stdout).toMatch(
      /2\/3\s+coco_to_yolo \(converter\)\s+\[█+\]\s+100\.0%\s+completed\s+\S+\s+lost: 1 crowd region dropped/,
    )
  })

  it('shows one line per action with its bar, status and elapsed time while it runs', () => {
    const w = workdir()
    const params = JSON.stringify({ log: w.log, ms: 5 })
    const run = pipeline(['run', checksFlow, '--params', params, '--run-id', 'shown'], w.store)
    expect(run.status).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({ answer: 500 })
    expect(run.stderr).toContain('pipeline run shown\n')
    expect(run.stderr).toMatch(/1\/4\s+prepare\s+\[░+\]\s+0\.0%\s+running\n/)
    expect(run.stderr).toMatch(/2\/4\s+slow\s+\[█+\]\s+100\.0%\s+completed\s+\d+(ms|\.\ds)\n/)
    expect(run.stderr).toMatch(/4\/4\s+finish\s+\[█+\]\s+100\.0%\s+completed/)
    expect(run.stderr).toMatch(/pipeline run shown completed in \S+\n$/)
  })

  it('an action that throws fails the run, keeps its error and the results before it; resume finishes it', () => {
    const w = workdir()
    const flag = join(w.dir, 'fail-while-this-exists')
    writeFileSync(flag, '')
    const params = JSON.stringify({ log: w.log, ms: 5, fail_while: flag })
    const run = pipeline(['run', checksFlow, '--params', params, '--run-id', 'f1'], w.store)
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/Pipeline 'checks-flow' failed at step 3 'flaky'.*flaky step failed/)
    expect(run.stderr).toContain('continue it with: synapse pipeline resume f1')

    const failed = statusOf('f1', w.store)
    expect(failed.status).toBe('failed')
    expect(failed.steps.map((s: { status: string }) => s.status)).toEqual([
      'completed',
      'completed',
      'failed',
      'pending',
    ])
    expect(failed.steps[2].error).toMatchObject({ code: 'EXECUTION_FAILED' })
    expect(failed.error.message).toMatch(/failed at step 3 'flaky'/)
    expect(failed.checkpoints.map((c: { result: unknown }) => c.result)).toEqual([
      { prepared: 42 },
      { sum: 50 },
    ])
    expect(w.ran()).toEqual(['prepare', 'slow', 'flaky'])

    rmSync(flag)
    const resumed = pipeline(['resume', 'f1', '--json'], w.store)
    expect(resumed.stderr).toBe('')
    expect(resumed.status).toBe(0)
    expect(JSON.parse(resumed.stdout)).toEqual({
      runId: 'f1',
      status: 'completed',
      result: { answer: 500 },
    })
    // The completed steps were not run again.
    expect(w.ran()).toEqual(['prepare', 'slow', 'flaky', 'flaky', 'finish'])
    expect(statusOf('f1', w.store)).toMatchObject({ status: 'completed', attempt: 2 })
  })

  it('resuming a run that completed says so and runs nothing', () => {
    const w = workdir()
    const params = JSON.stringify({ log: w.log, ms: 5 })
    expect(
      pipeline(['run', checksFlow, '--params', params, '--run-id', 'done'], w.store).status,
    ).toBe(0)
    const before = w.ran()
    const again = pipeline(['resume', 'done'], w.store)
    expect(again.status).toBe(2)
    expect(again.stdout).toBe('')
    expect(again.stderr).toContain(
      "PipelineAlreadyCompletedError [PIPELINE_ALREADY_COMPLETED]: Pipeline run 'done' already completed; there is nothing to resume",
    )
    expect(w.ran()).toEqual(before)
    expect(statusOf('done', w.store).attempt).toBe(1)
    const unknown = pipeline(['resume', 'nobody'], w.store)
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toMatch(/RUN_NOT_FOUND/)
    // A run no pipeline file started has nothing to rebuild a pipeline from.
    const ticker = join(import.meta.dirname, 'fixtures', 'ticker')
    const plain = runCli([
      'plugin',
      'run',
      'fail',
      '--path',
      ticker,
      '--store',
      w.store,
      '--run-id',
      'plain',
      '--quiet',
    ])
    expect(plain.status).toBe(1)
    const notPipeline = pipeline(['resume', 'plain'], w.store)
    expect(notPipeline.status).toBe(2)
    expect(notPipeline.stderr).toMatch(
      /PIPELINE_NO_DEFINITION.*was not started from a pipeline file/,
    )
  })

  it('a run whose process is SIGKILLed mid-action resumes to the result of an uninterrupted run', async () => {
    const w = workdir()
    const params = JSON.stringify({ log: w.log, steps: 30, ms: 100 })
    const child = startCli([
      'pipeline',
      'run',
      checksFlow,
      '--params',
      params,
      '--run-id',
      'k1',
      '--quiet',
      '--store',
      w.store,
    ])
    await until('slow to be under way', () => {
      if (!existsSync(w.store)) return false
      const shown = pipeline(['status', 'k1', '--json'], w.store)
      if (shown.status !== 0) return false
      const step = JSON.parse(shown.stdout).steps[1]
      return step?.status === 'running' && step.percent > 0
    })
    child.child.kill('SIGKILL')
    const killed = await child.done
    expect(killed.status).toBeNull()
    const left = statusOf('k1', w.store)
    expect(left.status).toBe('running')
    expect(left.steps.map((s: { status: string }) => s.status)).toEqual([
      'completed',
      'running',
      'pending',
      'pending',
    ])

    // Nobody is left to act on a cancel: it is asked for, and the wait for it runs out.
    const unheard = pipeline(['cancel', 'k1', '--wait', '1'], w.store)
    expect(unheard.status).toBe(1)
    expect(unheard.stderr).toMatch(
      /WaitTimeoutError \[WAIT_TIMEOUT\]: Run 'k1' did not finish within 1000 ms/,
    )

    // Still marked running: resume wants to be told its process is gone.
    const refused = pipeline(['resume', 'k1'], w.store)
    expect(refused.status).toBe(2)
    expect(refused.stderr).toMatch(/still marked running.*--force/)

    const resumed = pipeline(['resume', 'k1', '--force', '--json'], w.store)
    expect(resumed.stderr).toBe('')
    expect(resumed.status).toBe(0)
    const other = workdir()
    const whole = pipeline(
      [
        'run',
        checksFlow,
        '--params',
        JSON.stringify({ log: other.log, steps: 30, ms: 1 }),
        '--run-id',
        'k1',
        '--json',
      ],
      other.store,
    )
    expect(whole.status).toBe(0)
    expect(JSON.parse(resumed.stdout)).toEqual(JSON.parse(whole.stdout))
    // prepare ran once: its stored result was reused; slow ran again from the start.
    expect(w.ran()).toEqual(['prepare', 'slow', 'slow', 'flaky', 'finish'])
    const state = statusOf('k1', w.store)
    // The resumed run did not inherit the cancel its dead process never heard.
    expect(state).toMatchObject({ status: 'completed', attempt: 2 })
    expect(state.cancelRequestedAt).toBeUndefined()
    // The step run the dead process left is closed, not left running forever.
    const steps = runCli(['runs', 'list', '--store', w.store, '--json'])
    const abandoned = JSON.parse(steps.stdout).find((r: { runId: string }) => r.runId === 'k1.1.1')
    expect(abandoned).toMatchObject({ status: 'failed', parentRunId: 'k1' })
  })

  it('a run is cancelled by `pipeline cancel` from another process, and resumes after', async () => {
    const w = workdir()
    const params = JSON.stringify({ log: w.log, steps: 60, ms: 50 })
    const child = startCli([
      'pipeline',
      'run',
      checksFlow,
      '--params',
      params,
      '--run-id',
      'c1',
      '--store',
      w.store,
    ])
    await until('slow to be under way', () => {
      if (!existsSync(w.store)) return false
      const shown = pipeline(['status', 'c1', '--json'], w.store)
      return shown.status === 0 && JSON.parse(shown.stdout).steps[1]?.status === 'running'
    })
    const cancel = pipeline(['cancel', 'c1'], w.store)
    expect(cancel.stderr).toBe('')
    expect(cancel.status).toBe(0)
    expect(cancel.stdout).toBe('pipeline run c1 cancelled\n')
    const ran = await child.done
    expect(ran.status).toBe(130)
    expect(ran.stderr).toMatch(
      /CancelledError \[RUN_CANCELLED\]: Pipeline run 'c1' was cancelled at step 2 'slow'/,
    )
    const state = statusOf('c1', w.store)
    expect(state.status).toBe('cancelled')
    expect(state.steps.map((s: { status: string }) => s.status)).toEqual([
      'completed',
      'pending',
      'pending',
      'pending',
    ])
    expect(state.cancelRequestedAt).toBeDefined()

    const again = pipeline(['cancel', 'c1', '--json'], w.store)
    expect(JSON.parse(again.stdout)).toEqual({
      runId: 'c1',
      outcome: 'already-terminal',
      status: 'cancelled',
    })
    expect(pipeline(['cancel', 'nobody'], w.store).status).toBe(2)

    // The resumed run starts without the old request: it is not cancelled again.
    const fine = pipeline(['resume', 'c1', '--json'], w.store)
    expect(fine.status).toBe(0)
    expect(JSON.parse(fine.stdout)).toMatchObject({ status: 'completed', result: { answer: 1020 } })
  }, 120_000)

  it('strict mode with types that do not fit runs nothing', () => {
    const w = workdir()
    const file = w.file('mismatch.yaml', [
      'name: mismatch',
      'strict: true',
      `params: { root: ${JSON.stringify(w.dir)} }`,
      'actions:',
      '  - plugin: flow',
      '    action: export-coco',
      '  - plugin: flow',
      '    action: score',
      '',
    ])
    const plan = runCli(['pipeline', 'plan', file])
    expect(plan.status).toBe(2)
    expect(plan.stderr).toMatch(
      /SchemaIncompatibleError \[SCHEMA_INCOMPATIBLE\]: Pipeline 'mismatch' does not fit together:\n\s+- Type mismatch: 'export-coco' outputs 'coco_dataset' but 'score' expects 'model'/,
    )
    const run = pipeline(['run', file], w.store)
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(/SCHEMA_INCOMPATIBLE/)
    expect(runsIn(w.store)).toEqual([])

    // Bridgeable, but converters are off: the message says what would bridge it.
    const off = w.file('off.yaml', [
      'strict: true',
      'actions:',
      '  - { plugin: flow, action: export-coco }',
      '  - { plugin: flow, action: count-labels }',
      '',
    ])
    const refused = runCli(['pipeline', 'plan', off, '--params', '{"root": "/x"}'])
    expect(refused.status).toBe(2)
    expect(refused.stderr).toMatch(/adapters coco_to_yolo could bridge it/)
  })

  it('plan finds a missing required param without running anything', () => {
    const w = workdir()
    const first = runCli(['pipeline', 'plan', checksFlow])
    expect(first.status).toBe(2)
    expect(first.stdout).toMatch(/error: 'prepare': log: /)
    const json = JSON.parse(runCli(['pipeline', 'plan', checksFlow, '--json']).stdout)
    expect(json.ok).toBe(false)
    expect(json.diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'error', to: 'prepare', missing: ['log'] }),
    )

    // A later action's param that neither the params nor an earlier result provides.
    const later = w.file('later.yaml', [
      `params: { x: 1, log: ${JSON.stringify(w.log)} }`,
      'actions:',
      '  - { plugin: flow, action: prepare }',
      '  - { plugin: flow, action: flaky }',
      '',
    ])
    const plan = runCli(['pipeline', 'plan', later])
    expect(plan.status).toBe(2)
    expect(plan.stdout).toMatch(/error: .*'flaky'.*sum/)
    const run = pipeline(['run', later], w.store)
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(/INVALID_PARAMS[\s\S]*flaky\.sum/)
    expect(runsIn(w.store)).toEqual([])
    expect(w.ran()).toEqual([])
  })

  it('a corrupt pipeline file is an error at its file:line:col, and nothing is stored', () => {
    const w = workdir()
    const badYaml = w.file('bad.yaml', ['actions:', '  - plugin: [flow', ''])
    const yaml = pipeline(['run', badYaml], w.store)
    expect(yaml.status).toBe(2)
    expect(yaml.stderr).toMatch(/\[PIPELINE_FILE_INVALID\]: Invalid YAML in /)
    expect(yaml.stderr).toContain(`${badYaml}:`)

    const types = w.file('types.yaml', [
      'strict: maybe',
      'actions:',
      '  - plugin: flow',
      '    action: prepare',
      '    weight: heavy',
      '',
    ])
    const typed = runCli(['pipeline', 'plan', types])
    expect(typed.status).toBe(2)
    expect(typed.stderr).toContain(`${types}:1:9 strict: Invalid input: expected boolean`)
    expect(typed.stderr).toContain(`${types}:5:13 actions[0].weight:`)

    const unknown = w.file('unknown.yaml', [
      'actions:',
      '  - plugin: flow',
      '    action: tripple',
      '  - plugin: ./not-a-plugin',
      '    action: prepare',
      '',
    ])
    const missing = pipeline(['run', unknown], w.store)
    expect(missing.status).toBe(2)
    expect(missing.stderr).toMatch(
      new RegExp(
        `${unknown}:3:13 actions\\[0\\]\\.action: plugin ${flow} has no action 'tripple' \\(it has: prepare, slow,`,
      ),
    )
    expect(missing.stderr).toContain(
      `${unknown}:4:13 actions[1].plugin: no plugin at ${join(tmp, 'not-a-plugin')}`,
    )

    const absent = pipeline(['run', join(w.dir, 'absent.yaml')], w.store)
    expect(absent.status).toBe(2)
    expect(absent.stderr).toMatch(/PIPELINE_FILE_NOT_FOUND/)
    expect(runsIn(w.store)).toEqual([])
  })
})
