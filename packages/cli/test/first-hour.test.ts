import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, repoRoot, runCli, startCli } from './run-cli'

const ticker = join(import.meta.dirname, 'fixtures', 'ticker')
let tmp: string

beforeAll(() => {
  buildCli()
  tmp = mkdtempSync(join(tmpdir(), 'synapse-first-hour-'))
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function run(action: string, extra: string[] = []) {
  return runCli(['plugin', 'run', action, '--path', ticker, '--no-store', ...extra])
}

describe('a new user’s first hour', () => {
  it('--json prints only the result: plugin output goes to stderr, a bigint as its digits', () => {
    const r = run('chatty', ['--json'])
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({ total: '12345678901234567890' })
    expect(r.stderr).toContain('chatty module loaded')
    expect(r.stderr).toContain('chatty is running')
    expect(r.stderr).toContain('raw write')
  })

  it('a failure is printed once, naming every link of the cause chain', () => {
    const r = run('corrupt')
    expect(r.status).toBe(1)
    const lines = r.stderr.trim().split('\n')
    expect(lines).toEqual([
      "ExecutionError [EXECUTION_FAILED]: Action 'corrupt' failed: loading failed",
      '  caused by Error',
      '  caused by DatasetCorruptError: shard 3 is truncated',
      '  caused by Error [ERR_OUT_OF_RANGE]: offset 4096 is past the end',
    ])
    // Stacks only when asked.
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(run('corrupt', ['--debug']).stderr).toMatch(/\n\s+at /)
  })

  it('--env before the action name leaves the action name alone', () => {
    const r = runCli([
      'plugin',
      'run',
      '--env',
      'A=1',
      '--env',
      'B=2',
      'size',
      '--path',
      ticker,
      '--no-store',
      '--json',
    ])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
  })

  it('an events file that is a folder is bad input with a code, and nothing runs', () => {
    const folder = join(tmp, 'events-dir')
    mkdirSync(folder)
    const r = run('size', ['--events-file', folder])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('EVENTS_FILE_UNWRITABLE')
    expect(r.stderr).toContain(folder)
  })

  it('params larger than the command line allows come on stdin with --params @-', () => {
    const big = JSON.stringify({ items: Array.from({ length: 40_000 }, (_, i) => `item-${i}`) })
    expect(big.length).toBeGreaterThan(300_000)
    const bin = join(repoRoot, 'packages', 'cli', 'bin', 'run.js')
    const r = spawnSync(
      process.execPath,
      [bin, 'plugin', 'run', 'size', '--path', ticker, '--no-store', '--params', '@-', '--json'],
      { input: big, encoding: 'utf8', cwd: repoRoot },
    )
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toEqual({ bytes: big.length })
  })

  it("the spec's free type names run, with a warning that says where", () => {
    const r = run('typed', ['--json'])
    expect(r.status).toBe(0)
    expect(r.stderr).toMatch(
      /warning: .*config\.yaml:\d+:\d+ actions\.typed\.input_type: 'image_file' is not a registered data type/,
    )
    expect(run('typed', ['--json', '--quiet']).stderr).toBe('')
  })

  it('no secret reaches the terminal: not in the error, not in the --json result', () => {
    const secret = 'sk-live-0123456789abcdef'
    const failed = run('leak', ['--env', `API_KEY=${secret}`, '--params', '{"fail": true}'])
    expect(failed.status).toBe(1)
    expect(failed.stderr).toContain('rejected key [redacted]')
    expect(failed.stderr + failed.stdout).not.toContain(secret)
    const debug = run('leak', [
      '--env',
      `API_KEY=${secret}`,
      '--params',
      '{"fail": true}',
      '--debug',
    ])
    expect(debug.stderr).not.toContain(secret)
    const ok = run('leak', ['--env', `API_KEY=${secret}`, '--json'])
    expect(ok.status).toBe(0)
    expect(JSON.parse(ok.stdout)).toEqual({ echoed: '[redacted]' })
  })

  it('an exception thrown from a timer fails the run with a code and a final status', () => {
    const events = join(tmp, 'crash.jsonl')
    const r = run('crash', ['--events-file', events])
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('ACTION_CRASHED')
    expect(r.stderr).toContain('timer blew up')
    const last = readFileSync(events, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .at(-1)
    expect(last).toMatchObject({ type: 'status', status: 'failed' })
  })

  it('a second Ctrl-C stops a run that ignores its signal, and the events file still ends', async () => {
    const events = join(tmp, 'stubborn.jsonl')
    const cli = startCli([
      'plugin',
      'run',
      'stubborn',
      '--path',
      ticker,
      '--no-store',
      '--events-file',
      events,
    ])
    const deadline = Date.now() + 20_000
    while (!existsSync(events) || !readFileSync(events, 'utf8').includes('stubborn started')) {
      if (Date.now() > deadline) throw new Error('the run never started')
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    cli.child.kill('SIGINT')
    await new Promise((resolve) => setTimeout(resolve, 100))
    cli.child.kill('SIGINT')
    const ended = await cli.done
    expect(ended.status).toBe(130)
    expect(ended.stderr).toContain('Stopping now')
    const last = readFileSync(events, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .at(-1)
    expect(last).toMatchObject({ type: 'status', status: 'cancelled' })
  })

  it('TypeScript that type stripping cannot run (enums, extensionless imports) still runs', () => {
    // Plain ESM TypeScript runs through Node's own type stripping (the other actions here);
    // this file needs the tsx fallback.
    const r = run('with-enum', ['--json'])
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toEqual({ mode: 'fast' })
  })

  it('an unknown command is named as typed, with the commands of its topic', () => {
    const r = runCli(['plugin', 'frobnicate'])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("no command 'plugin frobnicate'")
    expect(r.stderr).not.toContain('plugin:frobnicate')
    expect(r.stderr).toContain('plugin run')
  })

  it('on an old Node the CLI says which Node it needs in one line and exits 2', () => {
    const old = spawnSync('/usr/bin/node', ['--version'], { encoding: 'utf8' })
    // The machine's own Node is older than the CLI needs; without one, there is nothing to test.
    if (old.status !== 0 || Number(old.stdout.slice(1).split('.')[0]) >= 22) return
    const bin = join(repoRoot, 'packages', 'cli', 'bin', 'run.js')
    const r = spawnSync('/usr/bin/node', [bin, '--help'], { encoding: 'utf8' })
    expect(r.status).toBe(2)
    expect(r.stderr.trim()).toBe(
      `synapse needs Node.js 22.13 or later; this is Node.js ${old.stdout.trim().slice(1)}`,
    )
  })
})
