import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalExecutor } from '@synapse/executor-local'
import { SqliteRunStore } from '@synapse/store-sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { readPipelineState } from '../src/index'
import { killResumePipeline, writeKillResumePlugin } from './kill-resume-pipeline'

const packageDir = join(import.meta.dirname, '..')
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function exited(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
}

describe('a pipeline whose process is killed mid-run', () => {
  it('resumes in another process from its last checkpoint, to the result of an uninterrupted run', async () => {
    const plugin = writeKillResumePlugin()
    cleanups.push(() => plugin.remove())
    const dir = mkdtempSync(join(tmpdir(), 'synapse-kill-resume-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const storePath = join(dir, 'synapse.db')
    const log = join(dir, 'prepare.log')
    const params = { x: 21, log }

    // The child runs from sources, as vitest does: no build needed.
    let stderr = ''
    const child = spawn(
      process.execPath,
      [
        '--conditions=@synapse/source',
        '--import',
        'tsx',
        join(import.meta.dirname, 'kill-resume-child.ts'),
        plugin.dir,
        storePath,
        'p-killed',
        JSON.stringify(params),
      ],
      { cwd: packageDir, stdio: ['ignore', 'ignore', 'pipe'] },
    )
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const exit = exited(child)
    cleanups.push(() => child.kill('SIGKILL'))

    const store = new SqliteRunStore({ path: storePath })
    const executor = new LocalExecutor({ store })
    cleanups.push(async () => {
      await executor.close()
      await store.close()
    })

    // Kill it once the store shows the first step completed and the second one's run going.
    const deadline = Date.now() + 20_000
    for (;;) {
      const state = await readPipelineState(store, 'p-killed').catch(() => undefined)
      const second = state?.steps[1]
      const secondRun = second?.runId === undefined ? undefined : await store.getRun(second.runId)
      if (state?.steps[0]?.status === 'completed' && secondRun?.status === 'running') break
      if (child.exitCode !== null)
        throw new Error(`child exited early (${child.exitCode}): ${stderr}`)
      if (Date.now() > deadline)
        throw new Error(`the child never got to its second step: ${stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    child.kill('SIGKILL')
    expect(await exit).toEqual({ code: null, signal: 'SIGKILL' })

    // What the dead process left: a run still marked running, one checkpoint, a step run abandoned.
    const left = await readPipelineState(store, 'p-killed')
    expect(left.status).toBe('running')
    expect(left.checkpoints.filter(Boolean).map((c) => c.name)).toEqual(['prepare'])
    expect(left.steps.map((s) => s.status)).toEqual(['completed', 'running', 'pending'])

    const pipeline = await killResumePipeline(plugin.dir)
    await pipeline.resume('p-killed', { executor, store })
    const resumed = await pipeline.wait('p-killed', { store, timeoutMs: 20_000 })
    const uninterrupted = await pipeline.run(params, { executor, store, runId: 'p-whole' })

    expect(resumed.status).toBe('completed')
    expect(resumed.result).toEqual(uninterrupted)
    expect(uninterrupted).toEqual({
      answer: (42 + 2026) * 10,
      at: new Date('2026-05-06T07:08:09.000Z'),
    })
    // prepare ran once in the killed process and once in the uninterrupted run; resume reused it.
    expect(readFileSync(log, 'utf8')).toBe('prepare\nprepare\n')
    const final = await readPipelineState(store, 'p-killed')
    expect(final).toMatchObject({ status: 'completed', attempt: 2, percent: 100 })
    expect((await store.getRun('p-killed'))?.result).toEqual(
      (await store.getRun('p-whole'))?.result,
    )
    // The step run the dead process left going is closed as abandoned; its retry completed.
    const slowRuns = await store.listRuns({ parentRunId: 'p-killed', action: 'slow' })
    expect(slowRuns.map((r) => [r.runId, r.status, r.error?.details?.['reason']]).sort()).toEqual([
      ['p-killed.1.1', 'failed', 'abandoned'],
      ['p-killed.2.1', 'completed', undefined],
    ])
  })
})
