import { defineAction } from '@synapse/core'
import { z } from 'zod'

/** Validation params: the records to check and the fields each must have. */
export const ValidateParams = z.object({
  records: z.array(z.record(z.string(), z.unknown())).min(1).describe('Records to check'),
  required: z
    .array(z.string().min(1))
    .min(1)
    .default(['id', 'label'])
    .describe('Fields every record must have, not empty'),
})

/** Checks every record and lists each problem by record index and field; it changes nothing. */
export const validate = defineAction(
  {
    name: 'validate',
    description: 'Check that every record has the required fields',
    params: ValidateParams,
  },
  async ({ records, required }, ctx) => {
    const errors: { record: number; field: string; message: string }[] = []
    for (const [index, record] of records.entries()) {
      for (const field of required) {
        const value = record[field]
        if (value === undefined || value === null || value === '') {
          errors.push({ record: index, field, message: 'is missing or empty' })
        }
      }
      ctx.setProgress(index + 1, records.length, 'validate')
    }
    return { valid: errors.length === 0, checked: records.length, errors }
  },
)
