import { z } from 'zod'

const num = z
  .string()
  .trim()
  .min(1, 'expected a number, found nothing')
  .transform(Number)
  .pipe(z.number({ error: 'expected a number' }).finite())

const flag = z
  .string()
  .trim()
  .transform((s) => (s === 'true' ? 1 : s === 'false' ? 0 : Number(s)))
  .pipe(z.number({ error: 'expected 0 or 1' }).finite())

/** One `<object>` of a VOC file, with CVAT's `<attributes>` extension. */
export const vocObjectSchema = z.object({
  name: z.string().trim().min(1, 'object has no name'),
  pose: z.string().optional(),
  truncated: flag.optional(),
  difficult: flag.optional(),
  occluded: flag.optional(),
  bndbox: z.object({ xmin: num, ymin: num, xmax: num, ymax: num }),
  attributes: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  /** Elements this package does not interpret (`<part>`, `<actions>`), as XML text, kept as they are. */
  unknown: z.array(z.string()).optional(),
})

/**
 * A Pascal VOC annotation file, as text values lifted from the XML (numbers are parsed, floats
 * allowed). `size` may be missing or zero; readers then take the size from the image header.
 */
export const vocAnnotationSchema = z.object({
  folder: z.string().optional(),
  filename: z.string().optional(),
  path: z.string().optional(),
  size: z.object({ width: num, height: num, depth: num.optional() }).optional(),
  segmented: flag.optional(),
  object: z.array(vocObjectSchema),
  /** Top-level elements this package does not interpret (`<source>`, `<owner>`), as XML text. */
  unknown: z.array(z.string()).optional(),
})

export type VocAnnotation = z.infer<typeof vocAnnotationSchema>
export type VocObject = z.infer<typeof vocObjectSchema>
