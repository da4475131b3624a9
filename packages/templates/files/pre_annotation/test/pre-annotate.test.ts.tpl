import { resolveAction } from '@synapse/core'
import { createTestContext } from '@synapse/core/testing'
import { describe, expect, it } from 'vitest'
import { PreAnnotateAction, PreAnnotateParams } from '../src/pre-annotate'

describe('pre_annotate', () => {
  it('labels the items a rule matches and leaves the others unlabelled', async () => {
    const t = createTestContext()
    const result = await resolveAction(PreAnnotateAction).run(
      PreAnnotateParams.parse({
        items: [
          { id: '1', text: 'A Cat on a mat' },
          { id: '2', text: 'an empty street' },
        ],
      }),
      t.ctx,
    )
    expect(result).toEqual({
      annotations: [
        { id: '1', label: 'animal' },
        { id: '2', label: null },
      ],
      labelledCount: 1,
    })
    expect(t.messages()).toContain('1 of 2 items labelled')
  })
})
