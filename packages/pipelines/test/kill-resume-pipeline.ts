import { PluginDiscovery } from '@synapse/core'
import { createTestPlugin, type TestPlugin } from '@synapse/core/testing'
import { ActionPipeline } from '../src/index'

/**
 * A plugin on disk with three actions: `prepare` (appends a line to a file, so a test can count
 * how often it ran), `slow` (long enough to be killed in), `finish` (a result with a Date, so
 * a resumed run must revive the stored JSON to match an uninterrupted one).
 */
export function writeKillResumePlugin(): TestPlugin {
  return createTestPlugin({
    'config.yaml': [
      'name: Kill resume',
      'code: kill-resume',
      'actions:',
      '  prepare:',
      '    entrypoint: main:prepare',
      '  slow:',
      '    entrypoint: main:slow',
      '  finish:',
      '    entrypoint: main:finish',
      '',
    ].join('\n'),
    'main.ts': [
      "import { appendFileSync } from 'node:fs'",
      "import { defineAction } from '@synapse/core'",
      "import { z } from 'zod'",
      'export const prepare = defineAction(',
      '  { params: z.object({ x: z.number(), log: z.string() }), result: z.object({ prepared: z.number(), at: z.date() }) },',
      '  ({ x, log }) => {',
      "    appendFileSync(log, 'prepare\\n')",
      "    return { prepared: x * 2, at: new Date('2026-05-06T07:08:09.000Z') }",
      '  },',
      ')',
      'export const slow = defineAction(',
      '  { params: z.object({ prepared: z.number(), at: z.date() }), result: z.object({ sum: z.number() }) },',
      '  async ({ prepared, at }, ctx) => {',
      '    for (let i = 1; i <= 8; i++) {',
      '      await new Promise((resolve) => setTimeout(resolve, 100))',
      '      ctx.setProgress(i, 8)',
      '    }',
      '    return { sum: prepared + at.getUTCFullYear() }',
      '  },',
      ')',
      'export const finish = defineAction(',
      '  { params: z.object({ sum: z.number(), at: z.date() }), result: z.object({ answer: z.number(), at: z.date() }) },',
      '  ({ sum, at }) => ({ answer: sum * 10, at }),',
      ')',
      '',
    ].join('\n'),
  })
}

/** The same pipeline in whichever process builds it: the child that is killed, or the test. */
export async function killResumePipeline(pluginDir: string): Promise<ActionPipeline> {
  const plugin = PluginDiscovery.fromPath(pluginDir)
  const actions = await Promise.all(['prepare', 'slow', 'finish'].map((a) => plugin.getAction(a)))
  return new ActionPipeline(actions, {
    name: 'kill-resume',
    strict: true,
    initialParams: ['x', 'log'],
  })
}
