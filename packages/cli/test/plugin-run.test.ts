import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, repoRoot, runCli } from './run-cli'

const example = join(repoRoot, 'examples', 'yolo-label-stats')
let tmp: string

beforeAll(() => {
  buildCli()
  tmp = mkdtempSync(join(tmpdir(), 'synapse-cli-'))
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function writePlugin(name: string, config: string): string {
  const dir = join(tmp, name)
  rmSync(dir, { recursive: true, force: true })
  writeFileSync(join(tmp, `${name}.yaml`), config)
  return join(tmp, `${name}.yaml`)
}

describe('synapse plugin run', () => {
  it('runs the example action and prints only the result JSON with --json', () => {
    const r = runCli(['plugin', 'run', 'label-stats', '--path', example, '--json'])
    expect(r.stderr).not.toContain('Error')
    expect(r.status).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result).toMatchObject({ files: 160, emptyFiles: 7, badLines: 3 })
    expect(result.examples.map((e: { where: string }) => e.where)).toEqual([
      'img_0007.txt:3',
      'img_0042.txt:4',
      'img_0099.txt:3',
    ])
    // Progress went to stderr, not stdout.
    expect(r.stderr).toContain('read')
    expect(r.stdout.trim().split('\n')).toHaveLength(1)
  })

  it('runs a class action and shows its progress category', () => {
    const r = runCli(['plugin', 'run', 'anchors', '--path', example, '--params', '{"k": 3}'])
    expect(r.status).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result.anchors).toHaveLength(3)
    expect(result.meanIoU).toBeGreaterThan(0.5)
    expect(r.stderr).toMatch(/kmeans\s+\[/)
  })

  it('names every bad field of invalid params, exits 2 and runs nothing', () => {
    const events = join(tmp, 'bad-params.jsonl')
    const r = runCli([
      'plugin',
      'run',
      'anchors',
      '--path',
      example,
      '--params',
      '{"k": 0, "iterations": "many"}',
      '--events-file',
      events,
    ])
    expect(r.status).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('INVALID_PARAMS')
    expect(r.stderr).toMatch(/- k: .*>=1/)
    expect(r.stderr).toMatch(/- iterations: .*expected number/)
    expect(() => readFileSync(events)).toThrow()
  })

  it('reads params from @file and reports a broken file by name', () => {
    const good = join(tmp, 'params.json')
    writeFileSync(good, JSON.stringify({ k: 2, iterations: 5 }))
    const ok = runCli([
      'plugin',
      'run',
      'anchors',
      '--path',
      example,
      '--params',
      `@${good}`,
      '--json',
    ])
    expect(ok.status).toBe(0)
    expect(JSON.parse(ok.stdout).anchors).toHaveLength(2)

    const broken = join(tmp, 'broken.json')
    writeFileSync(broken, '{"k": 2,,}')
    const bad = runCli(['plugin', 'run', 'anchors', '--path', example, '--params', `@${broken}`])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('PARAMS_NOT_JSON')
    expect(bad.stderr).toContain(broken)
  })

  it('lists the available actions for an unknown one', () => {
    const r = runCli(['plugin', 'run', 'trian', '--path', example])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("Action 'trian' not found")
    expect(r.stderr).toContain('label-stats, anchors')
  })

  it('points at file:line:col of a bad value in config.yaml', () => {
    const config = writePlugin(
      'bad-method',
      'name: Bad\ncode: bad\nactions:\n  train:\n    entrypoint: src/train:train\n    method: jobb\n',
    )
    const r = runCli(['plugin', 'run', 'train', '--path', config])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('CONFIG_INVALID')
    expect(r.stderr).toContain(`${config}:6:13 actions.train.method`)
  })

  it('points at file:line:col of a YAML syntax error', () => {
    const config = writePlugin('bad-yaml', 'name: Bad\ncode: [bad\nactions: {}\n')
    const r = runCli(['plugin', 'run', 'train', '--path', config])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(new RegExp(`${config.replaceAll('.', '\\.')}:\\d+:\\d+`))
  })

  it('names a missing required key of config.yaml', () => {
    const config = writePlugin('no-code', 'name: Bad\nactions: {}\n')
    const r = runCli(['plugin', 'run', 'train', '--path', config])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(`${config}:1:1 code`)
  })

  it('exits 1 with the cause when the action fails, and records the run events', () => {
    const events = join(tmp, 'failed-run.jsonl')
    const r = runCli([
      'plugin',
      'run',
      'label-stats',
      '--path',
      example,
      '--params',
      JSON.stringify({ labels: join(tmp, 'does-not-exist') }),
      '--events-file',
      events,
    ])
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('EXECUTION_FAILED')
    expect(r.stderr).toContain('ENOENT')
    const lines = readFileSync(events, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.map((e) => e.seq)).toEqual(lines.map((_, i) => i + 1))
    expect(lines.filter((e) => e.type === 'status').map((e) => e.status)).toEqual([
      'pending',
      'running',
      'failed',
    ])
    expect(lines.find((e) => e.type === 'error').error.code).toBe('EXECUTION_FAILED')
  })

  it('rejects an unknown mode, naming the available ones', () => {
    const r = runCli(['plugin', 'run', 'label-stats', '--path', example, '--mode', 'warp'])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("No executor for mode 'warp'")
    expect(r.stderr).toContain('local')
  })
})
