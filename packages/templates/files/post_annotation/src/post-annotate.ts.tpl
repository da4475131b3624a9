import { defineAction } from '@synapse/core'
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
 * label or one under `minConfidence` is sent back for review.
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
