// Sources of the smart_tool template: an auto-label action on BaseAutoLabelAction. Its "model"
// is the box around the points an annotator clicked, so the tool runs as generated; a real one
// calls its model in `runInference`.

/** `src/auto-label.ts` of a smart_tool plugin. */
export function autoLabelSource(annotationType: string): string {
  return `import { BaseAutoLabelAction } from '@synapse/actions'
import { z } from 'zod'

/** The annotation type this tool produces (\`annotation_type\` in config.yaml). */
export const ANNOTATION_TYPE = ${JSON.stringify(annotationType)}

/** Auto-label params: the points an annotator clicked, and the label to give. */
export const AutoLabelParams = z.object({
  points: z
    .array(z.object({ x: z.number(), y: z.number() }))
    .min(1)
    .describe('Points the annotator clicked, in pixels'),
  label: z.string().min(1).default('object').describe('Label of the annotation'),
  padding: z.number().min(0).default(0).describe('Pixels added around the points'),
})

type Point = { x: number; y: number }
type Box = { x: number; y: number; width: number; height: number }

/**
 * Suggests an annotation from the annotator's clicks. BaseAutoLabelAction runs
 * \`input_transform → inference → output_transform\` through the three methods below.
 */
export class AutoLabelAction extends BaseAutoLabelAction<typeof AutoLabelParams, Point[], Box> {
  static override actionName = 'auto_label'
  static override description = 'Suggest an annotation from the points an annotator clicked'
  static override params = AutoLabelParams

  handleInput(): Point[] {
    return this.params.points
  }

  runInference(points: Point[]): Box {
    const pad = this.params.padding
    const xs = points.map((p) => p.x)
    const ys = points.map((p) => p.y)
    const x = Math.min(...xs) - pad
    const y = Math.min(...ys) - pad
    return { x, y, width: Math.max(...xs) + pad - x, height: Math.max(...ys) + pad - y }
  }

  handleOutput(box: Box): Record<string, unknown> {
    return { annotations: [{ type: ANNOTATION_TYPE, label: this.params.label, bbox: box }] }
  }
}
`
}

/** `test/auto-label.test.ts` of a smart_tool plugin. */
export const autoLabelTest = `import { resolveAction } from '@synapse/core'
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
`
