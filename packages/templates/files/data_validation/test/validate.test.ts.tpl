import { createTestContext } from '@synapse/core/testing'
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
