import { createTestPlugin, type TestPlugin } from '@synapse/core/testing'

/** A plugin for the fault tests: each action leaves marker lines so a test can count executions. */
export function createFaultPlugin(): TestPlugin {
  return createTestPlugin({
    'config.yaml': [
      'name: Faults',
      'code: faults',
      'version: 1.2.3',
      'actions:',
      '  work:',
      '    entrypoint: main:work',
      '  flaky:',
      '    entrypoint: main:flaky',
      '  final:',
      '    entrypoint: main:final',
      '  echo:',
      '    entrypoint: main:echo',
      '',
    ].join('\n'),
    'main.ts': `import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { defineAction, PluginError } from '@synapse/core'
import { z } from 'zod'

function lines(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\\n').filter(Boolean).length : 0
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason) }, { once: true })
  })
}

/** Works for ms, marking its start and its end: an idempotent action (it only appends). */
export const work = defineAction(
  { params: z.object({ marker: z.string(), ms: z.number(), ignoreSignal: z.boolean().default(false) }) },
  async ({ marker, ms, ignoreSignal }, ctx) => {
    appendFileSync(marker, \`start \${process.pid}\\n\`)
    ctx.logMessage('working')
    await sleep(ms, ignoreSignal ? undefined : ctx.signal)
    appendFileSync(marker, \`end \${process.pid}\\n\`)
    return { pid: process.pid, starts: lines(marker) }
  },
)

/** Fails on its first attempt (an error marked retryable), succeeds on the next. */
export const flaky = defineAction({ params: z.object({ marker: z.string() }) }, ({ marker }) => {
  appendFileSync(marker, 'attempt\\n')
  const attempts = lines(marker)
  if (attempts < 2) throw new PluginError('Service busy', { code: 'SERVICE_BUSY', retryable: true })
  return { attempts }
})

/** Fails with an error marked non-retryable. */
export const final = defineAction({ params: z.object({ marker: z.string() }) }, ({ marker }) => {
  appendFileSync(marker, 'attempt\\n')
  throw new PluginError('Bad credentials', { code: 'BAD_CREDENTIALS', retryable: false })
})

export const echo = defineAction(
  { params: z.object({ text: z.string() }), result: z.object({ text: z.string(), at: z.date() }) },
  ({ text }) => ({ text, at: new Date('2026-01-02T03:04:05.000Z') }),
)
`,
  })
}
