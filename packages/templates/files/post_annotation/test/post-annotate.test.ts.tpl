import { createTestContext } from '@synapse/core/testing'
import { describe, expect, it } from 'vitest'
import { PostAnnotateParams, postAnnotate } from '../src/post-annotate'

describe('post_annotate', () => {
  it('keeps confident labels, normalised, and sends the rest for review', async () => {
    const result = await postAnnotate.run(
      PostAnnotateParams.parse({
        annotations: [
          { id: '1', label: ' Cat ' },
          { id: '2', label: 'dog', confidence: 0.2 },
          { id: '3', label: '  ' },
        ],
      }),
      createTestContext().ctx,
    )
    expect(result).toEqual({
      accepted: [{ id: '1', label: 'cat' }],
      review: [
        { id: '2', reason: 'low confidence' },
        { id: '3', reason: 'empty label' },
      ],
    })
  })

  it('refuses a confidence above 1', () => {
    const parsed = PostAnnotateParams.safeParse({ annotations: [{ id: '1', label: 'a', confidence: 2 }] })
    expect(parsed.success).toBe(false)
  })
})
