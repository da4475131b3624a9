// Sources of the pre_annotation and post_annotation templates: a class action on
// `BaseAction.with` that suggests labels before people annotate, and a function action
// (`defineAction`) that checks the labels they gave.

/** `src/pre-annotate.ts` of a pre_annotation plugin. */
export const preAnnotateSource = `import { BaseAction } from '@synapse/core'
import { z } from 'zod'

/** Pre-annotation params: the items to label and the keyword rules that label them. */
export const PreAnnotateParams = z.object({
  items: z
    .array(z.object({ id: z.string().min(1), text: z.string() }))
    .min(1)
    .describe('Items to pre-annotate'),
  rules: z
    .record(z.string().min(1), z.string().min(1))
    .default({ cat: 'animal', dog: 'animal', car: 'vehicle' })
    .describe('Keyword → label; the first keyword found in an item labels it'),
})

/**
 * Suggests a label for each item before people annotate it. The keyword rules stand in for a
 * model: replace \`labelFor\` with yours.
 */
export class PreAnnotateAction extends BaseAction.with({
  name: 'pre_annotate',
  description: 'Suggest labels for items before they are annotated',
  params: PreAnnotateParams,
}) {
  labelFor(text: string): string | null {
    const lower = text.toLowerCase()
    for (const [keyword, label] of Object.entries(this.params.rules)) {
      if (lower.includes(keyword.toLowerCase())) return label
    }
    return null
  }

  override async execute() {
    const { items } = this.params
    const annotations: { id: string; label: string | null }[] = []
    for (const [i, item] of items.entries()) {
      this.ctx.throwIfCancelled()
      annotations.push({ id: item.id, label: this.labelFor(item.text) })
      this.setProgress(i + 1, items.length, 'pre_annotate')
    }
    const labelled = annotations.filter((a) => a.label !== null).length
    this.logMessage(labelled + ' of ' + items.length + ' items labelled')
    return { annotations, labelledCount: labelled }
  }
}
`

/** `test/pre-annotate.test.ts` of a pre_annotation plugin. */
export const preAnnotateTest = `import { resolveAction } from '@synapse/core'
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
`

/** `src/post-annotate.ts` of a post_annotation plugin. */
export const postAnnotateSource = `import { defineAction } from '@synapse/core'
import { z } from 'zod'

/** Post-annotation params: the annotations people made, and the confidence to keep. */
export const PostAnnotateParams = z.object({
  annotations: z
    .array(
      z.object({
        id: z.string().min(1),
        label: z.string(),
        confidence: z.number().min(0).max(1).default(1),
      }),
    )
    .min(1)
    .describe('Annotations to check'),
  minConfidence: z.number().min(0).max(1).default(0.5).describe('Lowest confidence kept'),
})

/**
 * Checks annotations once people made them: labels are trimmed and lower-cased, and an empty
 * label or one under \`minConfidence\` is sent back for review.
 */
export const postAnnotate = defineAction(
  {
    name: 'post_annotate',
    description: 'Normalise annotations and send doubtful ones back for review',
    params: PostAnnotateParams,
  },
  async ({ annotations, minConfidence }, ctx) => {
    const accepted: { id: string; label: string }[] = []
    const review: { id: string; reason: string }[] = []
    for (const a of annotations) {
      const label = a.label.trim().toLowerCase()
      if (label === '') review.push({ id: a.id, reason: 'empty label' })
      else if (a.confidence < minConfidence) review.push({ id: a.id, reason: 'low confidence' })
      else accepted.push({ id: a.id, label })
    }
    ctx.setProgress(annotations.length, annotations.length, 'post_annotate')
    return { accepted, review }
  },
)
`

/** `test/post-annotate.test.ts` of a post_annotation plugin. */
export const postAnnotateTest = `import { createTestContext } from '@synapse/core/testing'
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
`
