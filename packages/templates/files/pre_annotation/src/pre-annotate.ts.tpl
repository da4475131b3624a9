import { BaseAction } from '@synapse/core'
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
 * model: replace `labelFor` with yours.
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
