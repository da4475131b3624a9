import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveAction } from '@synapse/core'
import { createTestContext } from '@synapse/core/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ExportAction, ExportParams } from '../src/export'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plugin-export-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const run = (params: unknown) =>
  resolveAction(ExportAction).run(ExportParams.parse(params), createTestContext().ctx)

describe('export', () => {
  it('writes one file per record and lists the record that failed', async () => {
    const out = join(dir, 'out')
    const result = (await run({
      name: 'demo',
      path: out,
      records: [
        { id: 'a', label: ' Cat ' },
        { id: 'b', label: '' },
        { id: 'A', label: 'dog' },
      ],
    })) as { exportedCount: number; failedCount: number; errors: { item: string }[] }
    expect(result.exportedCount).toBe(2)
    expect(result.failedCount).toBe(1)
    expect(result.errors.map((e) => e.item)).toEqual(['b'])
    // 'a' and 'A' never share a file, even on a case-insensitive disk.
    expect(readdirSync(out).sort()).toEqual(['A_1.json', 'a.json'])
    expect(JSON.parse(readFileSync(join(out, 'a.json'), 'utf8'))).toEqual({ id: 'a', label: 'cat' })
  })

  it('refuses an output folder that exists', async () => {
    await expect(run({ name: 'demo', path: dir, records: [{ id: 'a', label: 'x' }] })).rejects.toThrow(
      /already exists/,
    )
    expect(existsSync(join(dir, 'a.json'))).toBe(false)
  })
})
