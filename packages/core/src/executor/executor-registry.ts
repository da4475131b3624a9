import { PluginRunError } from '../errors/errors'
import type { ExecutorProtocol } from './executor-protocol'

/**
 * Which executor serves which mode. Core names no executor; the application (the CLI, a
 * service) registers the ones it installed, and `runPlugin` picks by mode.
 */
export class ExecutorRegistry {
  readonly #factories = new Map<string, () => ExecutorProtocol>()
  readonly #instances = new Map<string, ExecutorProtocol>()

  /** Registers an executor, or a factory that makes it on first use. */
  register(mode: string, executor: ExecutorProtocol | (() => ExecutorProtocol)): this {
    this.#instances.delete(mode)
    this.#factories.set(mode, typeof executor === 'function' ? executor : () => executor)
    return this
  }

  /** The registered modes, in registration order. */
  modes(): string[] {
    return [...this.#factories.keys()]
  }

  /** The executor for `mode`; an unknown mode is `UNKNOWN_MODE` naming the available ones. */
  get(mode: string): ExecutorProtocol {
    let executor = this.#instances.get(mode)
    if (executor === undefined) {
      const factory = this.#factories.get(mode)
      if (factory === undefined) {
        throw new PluginRunError(
          `No executor for mode '${mode}'. Available modes: ${this.modes().join(', ') || '(none)'}`,
          { code: 'UNKNOWN_MODE', details: { mode, available: this.modes() } },
        )
      }
      executor = factory()
      this.#instances.set(mode, executor)
    }
    return executor
  }

  /** Closes every executor made so far (factories never called make nothing to close). */
  async close(): Promise<void> {
    const executors = [...this.#instances.values()]
    this.#instances.clear()
    const results = await Promise.allSettled(executors.map((e) => e.close()))
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed !== undefined) throw failed.reason
  }
}
