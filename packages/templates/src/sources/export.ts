// Sources of the export template: an export action on BaseExportAction writing one JSON file per
// record. The records come from the params so the plugin runs as generated; a real exporter
// fetches them from its data source in `fetchItems`.

/** `src/export.ts` of an export plugin. */
export const exportSource = `import { writeFile } from 'node:fs/promises'
import { BaseExportAction, BaseExportParams, type UniquePaths } from '@synapse/actions'
import { z } from 'zod'

const Record = z.object({ id: z.string().min(1), label: z.string() }).loose()
/** One record to export. */
export type ExportRecord = z.output<typeof Record>

/** Export params: the base ones (name, path of a folder that must not exist yet) and the records. */
export const ExportParams = BaseExportParams.extend({
  records: z.array(Record).min(1).describe('The records to export'),
})

/**
 * Exports records as JSON files. BaseExportAction runs \`fetch → convert → save → finalize\`:
 * a record whose conversion throws is listed in the result's \`errors\` and the others go on,
 * and a failure after files were written removes the output folder.
 */
export class ExportAction extends BaseExportAction<typeof ExportParams, ExportRecord, string> {
  static override description = 'Export records as one JSON file each'
  static override params = ExportParams
  static override exportFormat = 'json'

  fetchItems(): ExportRecord[] {
    return this.params.records
  }

  itemId(record: ExportRecord): string {
    return record.id
  }

  convertData(record: ExportRecord): string {
    const label = record.label.trim()
    if (label === '') throw new Error('the label is empty')
    return JSON.stringify({ id: record.id, label: label.toLowerCase() }, null, 2)
  }

  async saveItem(data: string, id: string, paths: UniquePaths): Promise<string[]> {
    const file = paths.next(id + '.json')
    await writeFile(file, data)
    return [file]
  }
}
`

/** `test/export.test.ts` of an export plugin. */
export const exportTest = `import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
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
`
