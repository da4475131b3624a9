import { z } from 'zod'

/** COCO `images[]` entry; unknown fields are kept (`license`, `coco_url`, …). */
export const cocoImageSchema = z.looseObject({
  id: z.number().int(),
  file_name: z.string().min(1),
  width: z.number().int().nonnegative().optional(),
  height: z.number().int().nonnegative().optional(),
})

/** COCO `categories[]` entry, with the keypoint fields of person-keypoint files. */
export const cocoCategorySchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  supercategory: z.string().optional(),
  keypoints: z.array(z.string()).optional(),
  skeleton: z.array(z.tuple([z.number().int(), z.number().int()])).optional(),
})

/** RLE: `counts` compressed (string) or not (integers); `size` is `[height, width]`. */
export const cocoRleSchema = z.object({
  size: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
  counts: z.union([z.string(), z.array(z.number().int().nonnegative())]),
})

/** Polygon rings (`[[x1, y1, …], …]`) or one RLE. */
export const cocoSegmentationSchema = z.union([z.array(z.array(z.number())), cocoRleSchema])

/** COCO `annotations[]` entry (instances and person keypoints). */
export const cocoAnnotationSchema = z.looseObject({
  id: z.number().int(),
  image_id: z.number().int(),
  category_id: z.number().int(),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
  segmentation: cocoSegmentationSchema.optional(),
  area: z.number().optional(),
  iscrowd: z.union([z.literal(0), z.literal(1), z.boolean()]).optional(),
  keypoints: z.array(z.number()).optional(),
  num_keypoints: z.number().int().optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
})

/** A COCO instances / person-keypoints file. `info` and `licenses` are optional. */
export const cocoFileSchema = z.looseObject({
  info: z.unknown().optional(),
  licenses: z.array(z.unknown()).optional(),
  images: z.array(z.unknown()),
  annotations: z.array(z.unknown()).optional(),
  categories: z.array(z.unknown()),
})

export type CocoImage = z.infer<typeof cocoImageSchema>
export type CocoCategory = z.infer<typeof cocoCategorySchema>
export type CocoAnnotation = z.infer<typeof cocoAnnotationSchema>
export type CocoFile = z.infer<typeof cocoFileSchema>
