import { BaseAutoLabelAction } from '@synapse/actions'
import { z } from 'zod'

/** The annotation type this tool produces (`annotation_type` in config.yaml). */
export const ANNOTATION_TYPE = {{ annotationType }}

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
 * `input_transform → inference → output_transform` through the three methods below.
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
