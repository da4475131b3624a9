import { Flags } from '@oclif/core'
import type { PluginInstaller } from '@synapse/core'
import { QueueWorker } from '@synapse/executor-queue'
import { pino } from 'pino'
import { registryFlag } from '../registry-flag'
import { SynapseCommand } from '../synapse-command'

export class Worker extends SynapseCommand {
  static override summary = 'Run actions from a queue, as one worker of a pool'
  static override description =
    `Takes runs submitted with --mode task or --mode job from a queue in Redis and runs
them: in this process, --concurrency at a time (task), or each in a child process of its own
(job). Start as many workers as you like, on as many machines, against one Redis. Logs are JSON
lines (pino) on stdout. SIGTERM or SIGINT stops taking runs and lets the running ones finish
within --shutdown-timeout; runs still going then are handed back to the queue, and another
worker takes them over.`

  static override examples = [
    '<%= config.bin %> worker --redis redis://10.0.0.5:6379 --concurrency 8',
    '<%= config.bin %> worker --redis redis://10.0.0.5:6379 --mode job --plugin ./my-plugin',
    '<%= config.bin %> worker --redis redis://10.0.0.5:6379 --registry https://plugins.example.com',
  ]

  static override flags = {
    redis: Flags.string({
      description: 'Redis the submitters use',
      env: 'SYNAPSE_REDIS_URL',
      default: 'redis://127.0.0.1:6379',
    }),
    mode: Flags.string({
      description: 'task: runs in this process; job: a child process per run',
      options: ['task', 'job'],
      default: 'task',
    }),
    queue: Flags.string({ description: "Queue to take runs from (default: the mode's own)" }),
    concurrency: Flags.integer({ char: 'c', description: 'Runs at a time', default: 1, min: 1 }),
    plugin: Flags.string({
      description:
        'Plugin folder this worker serves (repeatable); runs of other plugins load from the path in their spec',
      multiple: true,
      default: [],
    }),
    ...registryFlag,
    'cancel-grace': Flags.integer({
      description:
        'ms an action gets to stop after a cancel before it is declared cancelled or killed',
      default: 2000,
      min: 0,
    }),
    'shutdown-timeout': Flags.integer({
      description: 'ms running runs get to finish on SIGTERM before they are handed back',
      default: 30_000,
      min: 0,
    }),
    'lock-duration': Flags.integer({
      description: 'ms after which the run of a worker that died goes to another one',
      default: 30_000,
      min: 1000,
    }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Worker)
    const logger = pino({ base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime })
    const mode = flags.mode as 'task' | 'job'
    const worker = new QueueWorker({
      redis: flags.redis,
      mode,
      concurrency: flags.concurrency,
      plugins: flags.plugin,
      installer: registryInstaller(flags.registry),
      cancelGraceMs: flags['cancel-grace'],
      lockDurationMs: flags['lock-duration'],
      ...(flags.queue !== undefined && { queue: flags.queue }),
      logger: {
        info: (fields, message) => logger.info(fields, message),
        warn: (fields, message) => logger.warn(fields, message),
        error: (fields, message) => logger.error(fields, message),
      },
    })
    const stopped = Promise.withResolvers<void>()
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down')
      worker.close({ timeoutMs: flags['shutdown-timeout'] }).then(stopped.resolve, stopped.reject)
    }
    process.once('SIGTERM', () => stop('SIGTERM'))
    process.once('SIGINT', () => stop('SIGINT'))
    await worker.start()
    await stopped.promise
    logger.flush()
  }
}

/**
 * Installs releases (`code@version` runs) from the registry into the plugin cache, loading the
 * registry code only when a run first needs it.
 */
function registryInstaller(registry: string | undefined): PluginInstaller {
  let installer: Promise<PluginInstaller> | undefined
  return {
    async install(code, version) {
      installer ??= import('@synapse/registry/install').then(
        ({ defaultPluginCacheDir, openRegistry, RegistryInstaller }) =>
          new RegistryInstaller(openRegistry(registry), defaultPluginCacheDir()),
      )
      return (await installer).install(code, version)
    },
  }
}
