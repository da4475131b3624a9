import { writeFile } from 'node:fs/promises'
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
 * Exports records as JSON files. BaseExportAction runs `fetch → convert → save → finalize`:
 * a record whose conversion throws is listed in the result's `errors` and the others go on,
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
