import { z } from 'zod'

const pathList = z.union([z.string(), z.array(z.string())])

/**
 * Ultralytics `data.yaml`. `names` is a list or an `{index: name}` map; `kpt_shape` is `[k, 2|3]`
 * for pose. `synapse` is this package's side channel (COCO category ids, the task), which
 * Ultralytics ignores.
 */
export const yoloDataYamlSchema = z.looseObject({
  path: z.string().optional(),
  train: pathList.optional(),
  val: pathList.optional(),
  test: pathList.optional().nullable(),
  nc: z.number().int().nonnegative().optional(),
  names: z.union([
    z.array(z.union([z.string(), z.number()]).transform(String)),
    z.record(z.string(), z.union([z.string(), z.number()]).transform(String)),
  ]),
  kpt_shape: z
    .tuple([z.number().int().positive(), z.union([z.literal(2), z.literal(3)])])
    .optional(),
  flip_idx: z.array(z.number().int()).optional(),
  synapse: z
    .looseObject({
      task: z.enum(['detect', 'segment', 'pose', 'obb', 'classify']).optional(),
      category_ids: z.array(z.number().int()).optional(),
      keypoints: z.array(z.string()).optional(),
      skeleton: z.array(z.tuple([z.number().int(), z.number().int()])).optional(),
    })
    .optional(),
})

export type YoloDataYaml = z.infer<typeof yoloDataYamlSchema>
