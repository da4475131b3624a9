import { resolveAction } from '@synapse/core'
import { createTestContext } from '@synapse/core/testing'
import { describe, expect, it } from 'vitest'
import { ANNOTATION_TYPE, AutoLabelAction, AutoLabelParams } from '../src/auto-label'

describe('auto_label', () => {
  it('boxes the clicked points and reports each step', async () => {
    const t = createTestContext()
    const result = await resolveAction(AutoLabelAction).run(
      AutoLabelParams.parse({ points: [{ x: 10, y: 20 }, { x: 30, y: 5 }], padding: 1 }),
      t.ctx,
    )
    expect(result).toEqual({
      annotations: [
        { type: ANNOTATION_TYPE, label: 'object', bbox: { x: 9, y: 4, width: 22, height: 17 } },
      ],
    })
    expect(t.progress('output_transform').at(-1)?.percent).toBe(100)
  })

  it('needs at least one point', () => {
    expect(AutoLabelParams.safeParse({ points: [] }).success).toBe(false)
  })
})
