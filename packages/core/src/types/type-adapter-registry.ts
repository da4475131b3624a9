/**
 * Type adapters: conversions from one semantic type to another (a COCO dataset to a YOLO one),
 * registered by the packages that can do them (datasets) and consulted by those that need one
 * (pipelines, to bridge an edge whose types differ). Neither side imports the other: both know
 * only this registry, by type name.
 */

/** What a conversion lost, kept with the run that made it. Plain JSON. */
export interface LossReport {
  /** One line for people: what was dropped or approximated. */
  summary: string
  /** Counts or lists, by what was lost (`{ polygons_to_boxes: 12 }`). */
  details?: Record<string, unknown>
}

/** What an adapter is handed besides its input. */
export interface TypeAdapterContext {
  /** The type name converted from. */
  from: string
  /** The type name converted to. */
  to: string
  /** Aborted when the run that needs the conversion is cancelled. */
  signal?: AbortSignal
}

/** What a conversion returns: the values for the next step, and what was lost on the way. */
export interface TypeAdapterOutput {
  /** Merged into the params of whatever comes next, as an action's result is. */
  output: Record<string, unknown>
  /** Set by a lossy conversion that actually lost something. */
  loss?: LossReport
}

/** One conversion from type `from` to type `to`. */
export interface TypeAdapter {
  /** Stable name, shown in plans (`coco_to_yolo`). */
  readonly name: string
  readonly from: string
  readonly to: string
  /** True when the conversion can lose information; such an adapter should return a `loss`. */
  readonly lossy: boolean
  readonly description?: string
  /** Converts `input` (the params so far: paths, ids, options) and says what was lost. */
  convert(input: Record<string, unknown>, ctx: TypeAdapterContext): Promise<TypeAdapterOutput>
}

/** How {@link TypeAdapterRegistry.findPath} searches. */
export interface FindAdapterOptions {
  /** Most adapters chained; default 2. */
  maxSteps?: number
  /** Whether lossy adapters may be used; default true. */
  allowLossy?: boolean
}

/**
 * Adapters by their `from` and `to` type names. Names are matched exactly: an adapter to
 * `yolo_dataset` is not one to `dataset`. Keep one instance per concern and pass it where it is
 * needed; {@link defaultTypeAdapters} is the shared one packages register into.
 *
 * @example
 * const adapters = new TypeAdapterRegistry().register({
 *   name: 'coco_to_yolo', from: 'coco_dataset', to: 'yolo_dataset', lossy: true,
 *   convert: async (input) => ({ output: { path: await toYolo(input.path) } }),
 * })
 * adapters.findPath('coco_dataset', 'yolo_dataset') // [that adapter]
 */
export class TypeAdapterRegistry {
  readonly #byFrom = new Map<string, Map<string, TypeAdapter>>()

  /** Adds an adapter. The same object twice is a no-op; another one for the same pair throws. */
  register(adapter: TypeAdapter): this {
    if (adapter.from === adapter.to) {
      throw new TypeError(`Type adapter '${adapter.name}' converts '${adapter.from}' to itself`)
    }
    const targets = this.#byFrom.get(adapter.from) ?? new Map<string, TypeAdapter>()
    const existing = targets.get(adapter.to)
    if (existing !== undefined && existing !== adapter) {
      throw new TypeError(
        `A type adapter from '${adapter.from}' to '${adapter.to}' is already registered ('${existing.name}')`,
      )
    }
    targets.set(adapter.to, adapter)
    this.#byFrom.set(adapter.from, targets)
    return this
  }

  /** The adapter registered for exactly this pair. */
  get(from: string, to: string): TypeAdapter | undefined {
    return this.#byFrom.get(from)?.get(to)
  }

  /** Every adapter, in registration order of their `from` types. */
  list(): TypeAdapter[] {
    return [...this.#byFrom.values()].flatMap((targets) => [...targets.values()])
  }

  /**
   * The shortest chain of adapters from `from` to `to`, preferring among chains of equal length
   * the one with fewer lossy steps; `undefined` when none bridges them within `maxSteps`. The
   * empty chain when the names are equal.
   */
  findPath(from: string, to: string, options: FindAdapterOptions = {}): TypeAdapter[] | undefined {
    const maxSteps = options.maxSteps ?? 2
    const allowLossy = options.allowLossy ?? true
    if (from === to) return []
    // Breadth-first by chain length; within one length, the fewest lossy steps wins.
    let frontier: { at: string; chain: TypeAdapter[] }[] = [{ at: from, chain: [] }]
    const seen = new Set([from])
    for (let depth = 0; depth < maxSteps && frontier.length > 0; depth++) {
      const next: { at: string; chain: TypeAdapter[] }[] = []
      let best: TypeAdapter[] | undefined
      for (const { at, chain } of frontier) {
        for (const adapter of this.#byFrom.get(at)?.values() ?? []) {
          if (adapter.lossy && !allowLossy) continue
          const extended = [...chain, adapter]
          if (adapter.to === to) {
            if (best === undefined || lossCount(extended) < lossCount(best)) best = extended
          } else if (!seen.has(adapter.to)) next.push({ at: adapter.to, chain: extended })
        }
      }
      if (best !== undefined) return best
      for (const { at } of next) seen.add(at)
      frontier = next
    }
    return undefined
  }
}

function lossCount(chain: readonly TypeAdapter[]): number {
  return chain.filter((adapter) => adapter.lossy).length
}

/** The shared registry: packages register their converters here; tests make their own. */
export const defaultTypeAdapters = new TypeAdapterRegistry()
