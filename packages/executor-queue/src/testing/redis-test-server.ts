import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A real `redis-server` started for tests, on a loopback port of its own. */
export interface RedisTestServer {
  readonly port: number
  /** `redis://127.0.0.1:PORT` */
  readonly url: string
  /** Where its append-only file lives. */
  readonly dir: string
  /** Kills it with SIGKILL (no shutdown save): an outage, or a crash. */
  kill(): Promise<void>
  /** Starts it again on the same port and data dir (after `kill`). */
  restart(): Promise<void>
  /** Stops it and removes its data dir. */
  stop(): Promise<void>
}

/** How {@link startRedisTestServer} starts the server. */
export interface RedisTestServerOptions {
  /** AOF persistence (`appendfsync everysec`); default on, as production runs it. */
  appendOnly?: boolean
}

/** Whether a `redis-server` binary is on the PATH (install the Debian package `redis-server`). */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0
}

/**
 * Starts `redis-server` on a free loopback port with AOF on and `maxmemory-policy noeviction`
 * (the only policy a job queue survives), in a temp data dir, and resolves once it accepts
 * connections. Fails clearly when the binary is missing.
 *
 * @example
 * const redis = await startRedisTestServer()
 * afterAll(() => redis.stop())
 */
export async function startRedisTestServer(
  options: RedisTestServerOptions = {},
): Promise<RedisTestServer> {
  if (!hasRedisServer()) {
    throw new Error(
      'redis-server is not installed: `apt-get install -y redis-server` (the tests need a real Redis)',
    )
  }
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'synapse-redis-'))
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    options.appendOnly === false ? 'no' : 'yes',
    '--appendfsync',
    'everysec',
    '--maxmemory-policy',
    'noeviction',
    '--protected-mode',
    'no',
  ]
  let child: ChildProcess | undefined
  const start = async () => {
    child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    await ready(child, port)
  }
  const kill = async () => {
    const running = child
    child = undefined
    if (running === undefined || running.exitCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    running.kill('SIGKILL')
    await exited
  }
  await start()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    kill,
    restart: async () => {
      await kill()
      await start()
    },
    stop: async () => {
      await kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Resolves once the server logs that it accepts connections; rejects if it exits first. */
function ready(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(
      () => fail(new Error(`redis-server on port ${port} did not start within 10 s:\n${output}`)),
      10_000,
    )
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer)
        child.stdout?.off('data', onData)
        child.off('exit', onExit)
        child.stdout?.resume()
        child.stderr?.resume()
        resolve()
      }
    }
    const onExit = (code: number | null) =>
      fail(
        new Error(`redis-server on port ${port} exited (${code}) before it was ready:\n${output}`),
      )
    function fail(error: Error) {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(error)
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', onExit)
  })
}
