/**
 * The hub model every reader produces and every writer consumes. Coordinates are absolute pixels,
 * continuous, origin at the top-left corner of the top-left pixel (the COCO convention): a pixel
 * `(i, j)` covers `[i, i+1) × [j, j+1)`. See `conventions.ts` for how each format maps onto it.
 */

/** The five formats this package reads and writes. */
export type DatasetFormat = 'coco' | 'yolo' | 'voc' | 'dm_v1' | 'dm_v2'

/**
 * YOLO tasks: what a label line means cannot be inferred from the line, so it is declared.
 * `classify` is the folder layout `<split>/<class>/<image>` with no label files.
 */
export type YoloTask = 'detect' | 'segment' | 'pose' | 'obb' | 'classify'

/** An attribute as DataMaker stores it; `_`-prefixed names are internal side channels. */
export interface Attr {
  name: string
  value: unknown
}

/** A class. `id` is the COCO-style id (arbitrary positive integer); list order is the YOLO index. */
export interface Category {
  id: number
  name: string
  supercategory?: string | undefined
  /** Keypoint names (COCO `keypoints`), for pose categories. */
  keypoints?: string[] | undefined
  /** COCO skeleton, 1-based vertex indices. */
  skeleton?: [number, number][] | undefined
}

/** Run-length mask in the COCO layout: column-major, starting with a background run. */
export interface Rle {
  size: [height: number, width: number]
  counts: number[]
}

/**
 * One annotation. A COCO annotation may hold a box, a segmentation and keypoints at once; DM and
 * YOLO annotations hold one geometry each. Every geometric field is optional.
 */
export interface Annotation {
  /** COCO ids are numbers, DM ids strings; writers keep whichever they can. */
  id?: number | string | undefined
  categoryId: number
  /** `[x, y, w, h]`. */
  bbox?: [number, number, number, number] | undefined
  /** One flat `[x1, y1, x2, y2, …]` array per ring. */
  polygons?: number[][] | undefined
  rle?: Rle | undefined
  /** Was the RLE given compressed (a string) in the source? Writers keep the same form. */
  rleCompressed?: boolean | undefined
  /** Flat `[x, y, v, …]`; `v` is 0 (not labelled), 1 (labelled, hidden) or 2 (visible). */
  keypoints?: number[] | undefined
  /** Oriented box: four corners, flat `[x1, y1, …, x4, y4]`. */
  obb?: number[] | undefined
  /**
   * The source's own numbers for `obb` when it was given as a box and a rotation (DM): a writer
   * of the same form writes these back digit for digit instead of recomputing them from the
   * corners (which gives `242.00000000000003` for `242`). Never set without `obb`.
   */
  rotatedBox?: { box: [number, number, number, number]; rotation: number } | undefined
  /**
   * A DM segmentation whose image size is unknown (no image, no `_size`): its pixel indices as
   * DM stores them (row-major in the image). DM writers keep them as they are; a mask needs the
   * size, so other targets drop the annotation and report it.
   */
  pixelIndices?: number[] | undefined
  /** Open line, flat `[x1, y1, …]` (DM polyline). */
  polyline?: number[] | undefined
  /** A lone point (DM keypoint without a parent). */
  point?: [number, number] | undefined
  iscrowd?: boolean | undefined
  /** An image-level label (YOLO classification folders): the category alone, no geometry. */
  imageClass?: boolean | undefined
  /** Stored area, passed through unchanged (COCO `area` is the mask's pixel count). */
  area?: number | undefined
  attrs?: Attr[] | undefined
  /** Fields only the source format has (unknown COCO keys, …); its own writer puts them back. */
  extra?: Extra | undefined
}

/** Format-specific fields, tagged with the format they came from. */
export interface Extra {
  format: DatasetFormat
  fields: Record<string, unknown>
}

/** A DM relation (`[fromId, toId]`) or group (`ids`), kept at image level. */
export interface Link {
  id: string
  kind: 'relation' | 'group'
  classification: string
  ids: string[]
  attrs?: Attr[] | undefined
}

export interface ImageRecord {
  id: number
  /** Path relative to the split's image folder, `/`-separated; subfolders are kept. */
  fileName: string
  /** `''` when the dataset has no splits. */
  split: string
  width?: number | undefined
  height?: number | undefined
  /** Absolute path of the image file, when it was found. */
  path?: string | undefined
  annotations: Annotation[]
  links?: Link[] | undefined
  /** Image fields only the source format has (COCO `license`, VOC `folder`, …). */
  extra?: Extra | undefined
}

export interface Dataset {
  categories: Category[]
  images: ImageRecord[]
  /** COCO `info` / `licenses`, when present. */
  info?: unknown
  licenses?: unknown[] | undefined
  /** YOLO `kpt_shape`, when the source declared one. */
  kptShape?: [number, number] | undefined
  /** Folders to look for images in, per split, for records without `path`. */
  imageDirs?: Record<string, string[]> | undefined
}
