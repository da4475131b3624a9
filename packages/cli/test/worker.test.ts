import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RedisTestServer, startRedisTestServer } from '@synapse/executor-queue/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, type RunningCli, repoRoot, runCli, startCli } from './run-cli'

const example = join(repoRoot, 'examples', 'yolo-label-stats')
let redis: RedisTestServer
const workers: RunningCli[] = []

async function startWorker(args: string[], env?: Record<string, string>): Promise<RunningCli> {
  const worker = startCli(
    ['worker', '--redis', redis.url, ...args],
    env === undefined ? {} : { env },
  )
  workers.push(worker)
  const started = Date.now()
  while (!worker.stdout.includes('worker started')) {
    if (worker.child.exitCode !== null) throw new Error(`worker exited:\n${worker.stdout}`)
    if (Date.now() - started > 20_000) throw new Error(`worker did not start:\n${worker.stdout}`)
    await new Promise((done) => setTimeout(done, 50))
  }
  return worker
}

beforeAll(async () => {
  buildCli()
  redis = await startRedisTestServer()
})

afterAll(async () => {
  for (const worker of workers) worker.child.kill('SIGKILL')
  await redis?.stop()
})

describe('synapse worker and plugin run --mode task|job', () => {
  it('runs the example on a task worker and a job worker with the local result', async () => {
    const local = runCli([
      'plugin',
      'run',
      'label-stats',
      '--path',
      example,
      '--json',
      '--no-store',
    ])
    expect(local.status).toBe(0)
    await startWorker(['--concurrency', '4'])
    await startWorker(['--mode', 'job'])
    for (const mode of ['task', 'job']) {
      const r = runCli([
        'plugin',
        'run',
        'label-stats',
        '--path',
        example,
        '--mode',
        mode,
        '--redis',
        redis.url,
        '--json',
      ])
      expect(r.stderr).not.toContain('Error')
      expect(r.status).toBe(0)
      expect(JSON.parse(r.stdout)).toEqual(JSON.parse(local.stdout))
    }
  })

  it('logs pino JSON and shuts down on SIGTERM with exit 0', async () => {
    const worker = await startWorker([])
    worker.child.kill('SIGTERM')
    const { status, stdout } = await worker.done
    expect(status).toBe(0)
    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string; level: number; time: string })
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['worker started', 'shutting down', 'worker closed']),
    )
    expect(lines.every((l) => typeof l.level === 'number' && typeof l.time === 'string')).toBe(true)
  })

  it('a queue mode without a Redis says how to give one', () => {
    const r = runCli(['plugin', 'run', 'label-stats', '--path', example, '--mode', 'task'], {
      env: { SYNAPSE_REDIS_URL: '' },
    })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('--redis redis://HOST:PORT')
  })

  it('a release run by code@version: the worker installs it from its registry, with no folder of its own', async () => {
    const registry = mkdtempSync(join(tmpdir(), 'synapse-worker-registry-'))
    // Each side unpacks into a cache of its own, where the SDK resolves from this package's
    // node_modules as from a project's.
    const caches = join(repoRoot, 'packages', 'cli', '.synapse', `worker-test-${process.pid}`)
    try {
      const published = runCli([
        'plugin',
        'publish',
        '--path',
        example,
        '--registry',
        registry,
        '--yes',
      ])
      expect(published.status, published.stderr).toBe(0)
      await startWorker(['--registry', registry, '--queue', 'releases'], {
        SYNAPSE_PLUGIN_CACHE: join(caches, 'worker'),
      })
      const byRef = ['label-stats', '--plugin', 'yolo-label-stats@0.1.0', '--registry', registry]
      const local = runCli(['plugin', 'run', ...byRef, '--json', '--no-store'], {
        env: { SYNAPSE_PLUGIN_CACHE: join(caches, 'submitter') },
      })
      expect(local.status, local.stderr).toBe(0)
      const queued = runCli(
        [
          'plugin',
          'run',
          ...byRef,
          '--mode',
          'task',
          '--redis',
          redis.url,
          '--queue',
          'releases',
          '--json',
        ],
        { env: { SYNAPSE_PLUGIN_CACHE: join(caches, 'submitter') } },
      )
      expect(queued.status, queued.stderr).toBe(0)
      expect(JSON.parse(queued.stdout)).toEqual(JSON.parse(local.stdout))
    } finally {
      rmSync(registry, { recursive: true, force: true })
      rmSync(caches, { recursive: true, force: true })
    }
  })
})
