import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, runCli, startCli } from './run-cli'

const ticker = join(import.meta.dirname, 'fixtures', 'ticker')
let tmp: string

beforeAll(() => {
  buildCli()
  tmp = mkdtempSync(join(tmpdir(), 'synapse-runs-'))
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

let stores = 0
/** A store file of its own for a test (not created yet). */
function freshStore(): string {
  return join(tmp, `store-${++stores}.db`)
}

function tickerArgs(action: string, store: string, extra: string[]): string[] {
  return ['plugin', 'run', action, '--path', ticker, '--store', store, '--quiet', ...extra]
}

/** Runs one of the ticker's actions (default `tick`) into `store`, waiting for it. */
function tick(store: string, extra: string[] = [], action = 'tick') {
  return runCli(tickerArgs(action, store, extra))
}

/** Starts the ticker's `tick` action into `store` without waiting. */
function startTick(store: string, extra: string[] = []) {
  return startCli(tickerArgs('tick', store, extra))
}

describe('synapse runs', () => {
  it('plugin run records the run; runs list, show and logs read it back', () => {
    const store = freshStore()
    const run = tick(store, ['--run-id', 'first-run', '--params', '{"steps": 3, "ms": 5}'])
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)

    const list = runCli(['runs', 'list', '--store', store, '--json'])
    expect(list.status).toBe(0)
    const runs = JSON.parse(list.stdout)
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({
      runId: 'first-run',
      action: 'tick',
      executor: 'local',
      status: 'completed',
      params: { steps: 3, ms: 5 },
      result: { steps: 3 },
      plugin: ticker,
    })
    expect(Date.parse(runs[0].finishedAt)).toBeGreaterThanOrEqual(Date.parse(runs[0].startedAt))

    const table = runCli(['runs', 'list', '--store', store])
    expect(table.stdout).toMatch(/RUN ID\s+ACTION\s+STATUS/)
    expect(table.stdout).toMatch(/first-run\s+tick\s+completed/)

    const show = runCli(['runs', 'show', 'first-run', '--store', store, '--json'])
    expect(show.status).toBe(0)
    const shown = JSON.parse(show.stdout)
    expect(shown.progress.tick).toMatchObject({ current: 3, total: 3, percent: 100 })
    expect(shown.metrics.tick).toEqual({ step: 3 })

    const human = runCli(['runs', 'show', 'first-run', '--store', store])
    expect(human.stdout).toMatch(/Status\s+completed/)
    expect(human.stdout).toMatch(/tick\s+\[█+\]\s+100\.0%\s+3\/3/)
    expect(human.stdout).toContain('"step":3')

    const logs = runCli(['runs', 'logs', 'first-run', '--store', store])
    expect(logs.status).toBe(0)
    expect(logs.stdout).toContain('ticking 3 times')
    expect(logs.stdout).toContain('Run completed')
    const json = runCli(['runs', 'logs', 'first-run', '--store', store, '--json'])
    const events = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
  })

  it('plugin job get and plugin job logs are the same commands', () => {
    const store = freshStore()
    tick(store, ['--run-id', 'aliased', '--params', '{"steps": 1}'])
    const get = runCli(['plugin', 'job', 'get', 'aliased', '--store', store, '--json'])
    expect(get.status).toBe(0)
    expect(JSON.parse(get.stdout).status).toBe('completed')
    const logs = runCli(['plugin', 'job', 'logs', 'aliased', '--store', store])
    expect(logs.stdout).toContain('Run completed')
  })

  it('runs logs -f follows a run another process started until it ends', async () => {
    const store = freshStore()
    const runner = startTick(store, ['--run-id', 'watched', '--params', '{"steps": 12, "ms": 100}'])
    // Wait until the first process has recorded the run, then follow it from a second one.
    const deadline = Date.now() + 20_000
    while (!runCli(['runs', 'list', '--store', store]).stdout.includes('watched')) {
      if (Date.now() > deadline) throw new Error('the first process never recorded its run')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const follower = startCli(['runs', 'logs', 'watched', '-f', '--store', store])
    const [ran, followed] = await Promise.all([runner.done, follower.done])
    expect(ran.status).toBe(0)
    expect(followed.status).toBe(0)
    const lines = followed.stdout.trim().split('\n')
    expect(lines.at(-1)).toContain('Run completed')
    // It saw the run move, not only its end: progress at several points on the way.
    const percents = lines
      .filter((l) => l.includes('[tick] Progress'))
      .map((l) => l.match(/(\d+(\.\d+)?)%/)?.[1])
    expect(new Set(percents).size).toBeGreaterThanOrEqual(3)
  })

  it('a failed run follows with exit 1 and keeps its typed error', () => {
    const store = freshStore()
    const run = tick(store, ['--run-id', 'broken'], 'fail')
    expect(run.status).toBe(1)
    const show = runCli(['runs', 'show', 'broken', '--store', store, '--json'])
    expect(JSON.parse(show.stdout).error).toMatchObject({ code: 'EXECUTION_FAILED' })
    const follow = runCli(['runs', 'logs', 'broken', '-f', '--store', store])
    expect(follow.status).toBe(1)
  })

  it('no secret of the run reaches the store', () => {
    const store = freshStore()
    const secret = 'sk-live-0123456789'
    tick(store, ['--env', `API_KEY=${secret}`, '--run-id', 'masked'], 'fail')
    tick(store, [
      '--env',
      `API_KEY=${secret}`,
      '--params',
      JSON.stringify({ steps: 1, secret }),
      '--run-id',
      'masked-params',
    ])
    for (const id of ['masked', 'masked-params']) {
      const show = runCli(['runs', 'show', id, '--store', store, '--json'])
      expect(show.status).toBe(0)
      expect(show.stdout).not.toContain(secret)
      const logs = runCli(['runs', 'logs', id, '--store', store, '--json'])
      expect(logs.stdout).not.toContain(secret)
    }
  })

  it('runs show of an unknown id exits 2 naming it', () => {
    const store = freshStore()
    tick(store, ['--params', '{"steps": 1}'])
    const r = runCli(['runs', 'show', 'no-such-run', '--store', store])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('no-such-run')
    const logs = runCli(['runs', 'logs', 'no-such-run', '--store', store])
    expect(logs.status).toBe(2)
    expect(logs.stderr).toContain('no-such-run')
  })

  it('two processes writing one store at once: both runs recorded', async () => {
    const store = freshStore()
    const params = ['--params', '{"steps": 10, "ms": 10}']
    const a = startTick(store, ['--run-id', 'a', ...params])
    const b = startTick(store, ['--run-id', 'b', ...params])
    const [ra, rb] = await Promise.all([a.done, b.done])
    expect([ra.status, rb.status]).toEqual([0, 0])
    const runs = JSON.parse(runCli(['runs', 'list', '--store', store, '--json']).stdout)
    expect(runs.map((r: { runId: string }) => r.runId).sort()).toEqual(['a', 'b'])
    expect(runs.every((r: { status: string }) => r.status === 'completed')).toBe(true)
    for (const id of ['a', 'b']) {
      const events = runCli(['runs', 'logs', id, '--store', store, '--json'])
        .stdout.trim()
        .split('\n')
      expect(events.map((l) => JSON.parse(l).seq)).toEqual(events.map((_, i) => i + 1))
    }
  })

  it('a process killed mid-run leaves a store every reader can still use', async () => {
    const store = freshStore()
    const runner = startTick(store, ['--run-id', 'killed', '--params', '{"steps": 100, "ms": 50}'])
    const deadline = Date.now() + 20_000
    const progressed = () => {
      const show = runCli(['runs', 'show', 'killed', '--store', store, '--json'])
      return show.status === 0 && JSON.parse(show.stdout).progress.tick?.current >= 3
    }
    while (!progressed()) {
      if (Date.now() > deadline) throw new Error('the run never made progress')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    runner.child.kill('SIGKILL')
    await runner.done
    const shown = JSON.parse(runCli(['runs', 'show', 'killed', '--store', store, '--json']).stdout)
    expect(shown.status).toBe('running')
    const events = runCli(['runs', 'logs', 'killed', '--store', store, '--json'])
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
    expect(shown.lastSeq).toBe(events.length)
    // The store takes new runs after the crash.
    expect(tick(store, ['--params', '{"steps": 1}']).status).toBe(0)
  })

  it('a corrupt store fails clearly naming the file; --no-store still runs', () => {
    const store = freshStore()
    writeFileSync(store, 'this is not a database, just some text that is long enough '.repeat(100))
    const r = tick(store, ['--params', '{"steps": 1}'])
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('STORE_CORRUPT')
    expect(r.stderr).toContain(store)
    const list = runCli(['runs', 'list', '--store', store])
    expect(list.status).toBe(1)
    expect(list.stderr).toContain(store)
    const free = tick(store, ['--params', '{"steps": 1}', '--no-store', '--json'])
    expect(free.status).toBe(0)
    expect(JSON.parse(free.stdout)).toMatchObject({ steps: 1 })
  })

  it('--no-store creates no store', () => {
    const store = freshStore()
    expect(tick(store, ['--no-store', '--params', '{"steps": 1}']).status).toBe(0)
    expect(existsSync(store)).toBe(false)
  })
})
