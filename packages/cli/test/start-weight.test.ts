import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, repoRoot, runCli } from './run-cli'

// A local run's start is what every user pays on every run (the plugin-run-start bench): the
// packages only other modes or commands need must stay out of it. This records every module a
// run loads, through a module hook, and names the ones that have no business there.
const NOT_FOR_A_LOCAL_RUN = [
  '@synapse/executor-queue',
  'bullmq',
  'ioredis',
  '@synapse/registry',
  '@synapse/authoring',
  'typescript',
  '@synapse/actions',
  '@synapse/datasets',
  '@synapse/pipelines',
  '@synapse/templates',
  'pino',
]

let dir: string
beforeAll(() => {
  buildCli()
  dir = mkdtempSync(join(tmpdir(), 'synapse-start-weight-'))
  writeFileSync(
    join(dir, 'hook.mjs'),
    `import { registerHooks } from 'node:module'
import { appendFileSync } from 'node:fs'
registerHooks({
  load(url, context, next) {
    appendFileSync(${JSON.stringify(join(dir, 'loaded.txt'))}, url + '\\n')
    return next(url, context)
  },
})
`,
  )
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('what a local plugin run loads', () => {
  it('no queue, registry, authoring, dataset or pipeline code', () => {
    const { status } = runCli(
      [
        'plugin',
        'run',
        'size',
        '--path',
        join(repoRoot, 'packages', 'cli', 'test', 'fixtures', 'ticker'),
        '--params',
        '{"n": 1}',
        '--json',
      ],
      { env: { NODE_OPTIONS: `--import ${join(dir, 'hook.mjs')}` } },
    )
    expect(status).toBe(0)
    const loaded = readFileSync(join(dir, 'loaded.txt'), 'utf8').split('\n')
    // The hook sees the run itself: its own plugin and the CLI are there.
    expect(loaded.some((url) => url.includes('/fixtures/ticker/'))).toBe(true)
    const named = (pkg: string) =>
      loaded.filter(
        (url) =>
          url.includes(`/node_modules/${pkg}/`) ||
          url.includes(`/packages/${pkg.replace('@synapse/', '')}/dist/`),
      )
    expect(NOT_FOR_A_LOCAL_RUN.flatMap(named)).toEqual([])
  })
})
