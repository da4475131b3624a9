import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { AnyActionDefinition } from '../../action/action-definition'
import { type ActionSource, PluginDiscovery } from '../../discovery/plugin-discovery'
import { createTestPlugin, type TestPlugin } from '../create-test-plugin'

/** The actions of the conformance plugin, each covering what one or more checks need. */
export const CONFORMANCE_ACTIONS = [
  'echo',
  'slow',
  'stubborn',
  'fail',
  'env',
  'dated',
  'result_off',
  'result_warn',
  'result_strict',
  'unencodable',
] as const

/** The name of one of the conformance plugin's actions. */
export type ConformanceAction = (typeof CONFORMANCE_ACTIONS)[number]

const CONFIG = [
  'name: Conformance',
  'code: conformance',
  'actions:',
  ...CONFORMANCE_ACTIONS.flatMap((name) => [`  ${name}:`, `    entrypoint: main:${name}`]),
  '',
].join('\n')

// The plugin is real code on disk, loaded through discovery like a user's, so an executor that
// runs elsewhere can load it again from the request's `source`. Markers are files an action
// appends to: the one side effect every executor, local or remote on this machine, can show.
const MAIN = `import { appendFileSync } from 'node:fs'
import { defineAction, PluginError } from '@synapse/core'
import { z } from 'zod'

/** A plugin's own error class, with a code, details and a cause. */
export class QuotaError extends PluginError {
  constructor(used: number, options: { cause?: unknown } = {}) {
    super(\`Quota used up (\${used} GB)\`, { code: 'QUOTA_EXCEEDED', details: { used }, ...options })
  }
}

class Weights {
  readonly values = [1, 2, 3]
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

function mark(file: string | undefined, line: string): void {
  if (file !== undefined) appendFileSync(file, \`\${line}\\n\`)
}

const Marker = z.string().optional()

export const echo = defineAction(
  {
    params: z.object({ text: z.string(), delayMs: z.number().int().min(0).default(0), marker: Marker }),
    result: z.object({ text: z.string(), tag: z.string().nullable(), runId: z.string() }),
  },
  async ({ text, delayMs, marker }, ctx) => {
    mark(marker, text)
    ctx.setProgress(0, 2, 'echo')
    ctx.logMessage(\`echo \${text}\`)
    if (delayMs > 0) await sleep(delayMs, ctx.signal)
    ctx.setProgress(2, 2, 'echo')
    ctx.setMetrics({ length: text.length }, 'echo')
    return { text, tag: ctx.env.getStr('CONFORMANCE_TAG') ?? null, runId: ctx.runId }
  },
)

export const slow = defineAction({ params: z.object({ ms: z.number() }) }, async ({ ms }, ctx) => {
  ctx.logMessage('started')
  await sleep(ms, ctx.signal)
  return { waited: ms }
})

export const stubborn = defineAction(
  { params: z.object({ ms: z.number(), marker: Marker }) },
  async ({ ms, marker }, ctx) => {
    ctx.logMessage('started')
    await sleep(ms)
    mark(marker, 'finished')
    return { late: true }
  },
)

export const fail = defineAction({}, () => {
  throw new QuotaError(7, { cause: new RangeError('disk full') })
})

export const env = defineAction({ params: z.object({ key: z.string() }) }, ({ key }, ctx) => ({
  value: ctx.env.getStr(key) ?? null,
}))

export const dated = defineAction(
  {
    params: z.object({ iso: z.string(), big: z.string() }),
    result: z.object({ at: z.date(), big: z.bigint() }),
  },
  ({ iso, big }) => ({ at: new Date(iso), big: BigInt(big) }),
)

const Sum = z.object({ sum: z.number() })
const notASum = () => ({ sum: 'not a number' }) as unknown as { sum: number }
export const result_off = defineAction({ result: Sum, resultValidation: 'off' }, notASum)
export const result_warn = defineAction({ result: Sum, resultValidation: 'warn' }, notASum)
export const result_strict = defineAction({ result: Sum, resultValidation: 'strict' }, notASum)

export const unencodable = defineAction(
  { params: z.object({ kind: z.enum(['function', 'instance']) }) },
  ({ kind }) =>
    kind === 'function' ? { ok: true, nested: { fn: () => 1 } } : { ok: true, model: new Weights() },
)
`

/**
 * The conformance plugin on disk with its actions loaded, shared by the checks of one suite run
 * (loading the plugin costs far more than a check). `remove` deletes it.
 */
export interface ConformanceFixture {
  readonly plugin: TestPlugin
  readonly discovery: PluginDiscovery
  /** Each action's definition, as discovery loaded it. */
  readonly actions: Readonly<Record<ConformanceAction, AnyActionDefinition>>
  /** Where an executor elsewhere loads each action from. */
  sourceOf(action: ConformanceAction): ActionSource
  /** A folder for the checks' marker files. */
  readonly scratch: string
  remove(): void
}

/** Writes the conformance plugin to a temp dir and loads every action of it. */
export async function createConformanceFixture(): Promise<ConformanceFixture> {
  const plugin = createTestPlugin({ 'config.yaml': CONFIG, 'main.ts': MAIN })
  try {
    const discovery = PluginDiscovery.fromPath(plugin.dir)
    const loaded = await Promise.all(
      CONFORMANCE_ACTIONS.map(async (name) => [name, await discovery.getAction(name)] as const),
    )
    const scratch = join(plugin.dir, 'scratch')
    mkdirSync(scratch)
    return {
      plugin,
      discovery,
      actions: Object.fromEntries(loaded) as Record<ConformanceAction, AnyActionDefinition>,
      sourceOf: (action) => discovery.sourceOf(action),
      scratch,
      remove: () => plugin.remove(),
    }
  } catch (error) {
    plugin.remove()
    throw error
  }
}
