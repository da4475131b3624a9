// Sources of the data_validation and custom templates: function actions (`defineAction`).

/** `src/validate.ts` of a data_validation plugin. */
export const validateSource = `import { defineAction } from '@synapse/core'
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
`

/** `test/validate.test.ts` of a data_validation plugin. */
export const validateTest = `import { createTestContext } from '@synapse/core/testing'
import { describe, expect, it } from 'vitest'
import { ValidateParams, validate } from '../src/validate'

describe('validate', () => {
  it('names each record and field that is missing', async () => {
    const result = await validate.run(
      ValidateParams.parse({ records: [{ id: 1, label: 'cat' }, { id: 2, label: '' }, {}] }),
      createTestContext().ctx,
    )
    expect(result).toEqual({
      valid: false,
      checked: 3,
      errors: [
        { record: 1, field: 'label', message: 'is missing or empty' },
        { record: 2, field: 'id', message: 'is missing or empty' },
        { record: 2, field: 'label', message: 'is missing or empty' },
      ],
    })
  })

  it('passes records that have every field', async () => {
    const result = await validate.run(
      ValidateParams.parse({ records: [{ id: 1, label: 'cat' }] }),
      createTestContext().ctx,
    )
    expect(result).toMatchObject({ valid: true, errors: [] })
  })
})
`

/** `src/main.ts` of a custom plugin. */
export const mainSource = `import { defineAction } from '@synapse/core'
import { z } from 'zod'

/** The main action's params. */
export const MainParams = z.object({
  name: z.string().min(1).default('world').describe('Who to greet'),
})

/** The plugin's main action; replace the body with what the plugin does. */
export const main = defineAction(
  {
    name: 'main',
    description: 'Greet someone',
    params: MainParams,
    result: z.object({ message: z.string() }),
  },
  async ({ name }, ctx) => {
    ctx.logMessage('greeting ' + name)
    return { message: 'Hello ' + name + '!' }
  },
)
`

/** `test/main.test.ts` of a custom plugin. */
export const mainTest = `import { createTestContext } from '@synapse/core/testing'
import { describe, expect, it } from 'vitest'
import { MainParams, main } from '../src/main'

describe('main', () => {
  it('greets and logs whom', async () => {
    const t = createTestContext()
    expect(await main.run(MainParams.parse({ name: 'Ada' }), t.ctx)).toEqual({ message: 'Hello Ada!' })
    expect(t.messages()).toEqual(['greeting Ada'])
  })

  it('refuses an empty name', () => {
    expect(MainParams.safeParse({ name: '' }).success).toBe(false)
  })
})
`
