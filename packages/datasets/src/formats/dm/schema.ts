import { z } from 'zod'

/** DM annotation ids: letters, digits, `_` and `-`. */
export const dmIdSchema = z.string().regex(/^[A-Za-z0-9_-]+$/, 'id must match ^[A-Za-z0-9_-]+$')

export const dmAttrSchema = z.object({ name: z.string(), value: z.unknown() })

const point = z.tuple([z.number(), z.number()])

/** Per-tool `data` of a DM v2 annotation (image tools). */
export const dmV2DataSchemas = {
  bounding_box: z.tuple([
    z.number(),
    z.number(),
    z.number().nonnegative(),
    z.number().nonnegative(),
  ]),
  polygon: z.array(point).min(3, 'a polygon needs at least 3 points'),
  polyline: z.array(point).min(2, 'a polyline needs at least 2 points'),
  keypoint: z.union([point, z.tuple([z.number(), z.number(), z.number()])]),
  segmentation: z.array(z.number().int().nonnegative()),
  relation: z.tuple([dmIdSchema, dmIdSchema]),
  group: z.array(dmIdSchema),
} as const

export type DmV2Tool = keyof typeof dmV2DataSchemas
export const DM_V2_TOOLS = Object.keys(dmV2DataSchemas) as DmV2Tool[]

/** One DM v2 annotation: `{id, classification, attrs, data}`. */
export const dmV2ItemSchema = z.looseObject({
  id: dmIdSchema,
  classification: z.string(),
  attrs: z.array(dmAttrSchema).optional(),
  data: z.unknown(),
})

/** One entry of `images[]`: a list of annotations per tool; other tools (cuboid, …) pass as unknown. */
export const dmV2ImageSchema = z.record(z.string(), z.array(dmV2ItemSchema))

/** A DM v2 file: `{classification: {tool: [class]}, images: [{tool: [item]}]}`. */
export const dmV2FileSchema = z.looseObject({
  classification: z.record(z.string(), z.array(z.string())).optional(),
  images: z.array(dmV2ImageSchema),
})

const v1Coordinate = z.union([
  z.looseObject({
    x: z.number(),
    y: z.number(),
    width: z.number(),
    height: z.number(),
    rotation: z.number().optional(),
  }),
  z.array(z.looseObject({ x: z.number(), y: z.number(), id: z.string().optional() })),
  z.looseObject({ x: z.number(), y: z.number() }),
])

/** DM v1 `annotations[asset][]`: the event with tool and classification (meta flags dropped in v2). */
export const dmV1AnnotationSchema = z.looseObject({
  id: dmIdSchema,
  tool: z.string(),
  isLocked: z.boolean().optional(),
  isVisible: z.boolean().optional(),
  isValid: z.boolean().optional(),
  isDrawCompleted: z.boolean().optional(),
  classification: z.record(z.string(), z.unknown()).optional(),
  label: z.array(z.unknown()).optional(),
})

/** DM v1 `annotationsData[asset][]`, joined to `annotations` on `id`. */
export const dmV1DataSchema = z.looseObject({
  id: dmIdSchema,
  coordinate: v1Coordinate.optional(),
  pixel_indices: z.array(z.number().int().nonnegative()).optional(),
  frameIndex: z.number().optional(),
  section: z.unknown().optional(),
})

export const dmV1RelationSchema = z.looseObject({
  id: dmIdSchema,
  tool: z.string().optional(),
  annotationId: dmIdSchema,
  targetAnnotationId: dmIdSchema,
  classification: z.record(z.string(), z.unknown()).optional(),
})

export const dmV1GroupSchema = z.looseObject({
  id: dmIdSchema,
  tool: z.string().optional(),
  classification: z.record(z.string(), z.unknown()).optional(),
  annotationList: z.array(
    z.looseObject({ annotationId: dmIdSchema, children: z.unknown().optional() }),
  ),
})

/** A DM v1 file (event based, keyed by asset such as `image_1`). */
export const dmV1FileSchema = z.looseObject({
  annotations: z.record(z.string(), z.array(dmV1AnnotationSchema)),
  annotationsData: z.record(z.string(), z.array(dmV1DataSchema)).optional(),
  relations: z.record(z.string(), z.array(dmV1RelationSchema)).optional(),
  annotationGroups: z.record(z.string(), z.array(dmV1GroupSchema)).optional(),
  extra: z.unknown().optional(),
  assignmentId: z.union([z.number(), z.string()]).optional().nullable(),
})

export type DmV2File = z.infer<typeof dmV2FileSchema>
export type DmV2Item = z.infer<typeof dmV2ItemSchema>
export type DmV2Image = z.infer<typeof dmV2ImageSchema>
export type DmV1File = z.infer<typeof dmV1FileSchema>
