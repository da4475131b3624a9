import { YOLO_TOLERANCE } from './conventions'
import type { DatasetFormat, YoloTask } from './model'
import type { LossKind, ReportBuilder } from './report'

/**
 * What each target format can hold, stated once as data: one row per thing a dataset may
 * contain, one cell per target. Writers report losses by looking their cell up
 * ({@link reportLoss}), so a report can say only what this table says, and the package README's
 * conversion matrix is rendered from it ({@link renderConversionMatrix}; a test keeps the README
 * equal to it). The cell's mark is the kind of loss: ✓ kept, ≈ approximated, ✗ dropped,
 * ↻ renumbered.
 */

/** A conversion target: a format, with YOLO split by task (each task holds different things). */
export type CapabilityTarget =
  | 'coco'
  | 'yolo:detect'
  | 'yolo:segment'
  | 'yolo:pose'
  | 'yolo:obb'
  | 'voc'
  | 'dm_v2'
  | 'dm_v1'

export const CAPABILITY_TARGETS: readonly CapabilityTarget[] = [
  'coco',
  'yolo:detect',
  'yolo:segment',
  'yolo:pose',
  'yolo:obb',
  'voc',
  'dm_v2',
  'dm_v1',
]

const TARGET_TITLES: Record<CapabilityTarget, string> = {
  coco: 'COCO',
  'yolo:detect': 'YOLO detect',
  'yolo:segment': 'YOLO segment',
  'yolo:pose': 'YOLO pose',
  'yolo:obb': 'YOLO obb',
  voc: 'VOC',
  dm_v2: 'DM v2',
  dm_v1: 'DM v1',
}

export type CapabilityMark = '✓' | '≈' | '✗' | '↻'

/** One cell: the mark, a note shown in the README, and the reason a report gives. */
export interface Capability {
  mark: CapabilityMark
  note?: string | undefined
  reason?: string | undefined
}

/** Report subjects that are rows of the table. */
export type CapabilitySubject =
  | 'coordinates'
  | 'box'
  | 'polygon'
  | 'polygon without box'
  | 'mask without box'
  | 'multi-ring polygon'
  | 'RLE mask'
  | 'iscrowd flag'
  | 'area'
  | 'keypoints'
  | 'keypoint names/skeleton'
  | 'oriented box'
  | 'polyline'
  | 'point'
  | 'DM relation/group'
  | 'image class'
  | 'attributes'
  | 'category id'
  | 'category'
  | 'class order'
  | 'supercategory'
  | 'image id'
  | 'info/licenses'
  | 'image metadata'
  | 'annotation metadata'

interface Row {
  key: CapabilitySubject
  /** The subject a report names (rows that refine another row share its subject). */
  subject: string
  /** How the README names the row. */
  title: string
  cells: Record<CapabilityTarget, Capability>
}

const keep = (note?: string): Capability => ({ mark: '✓', note })
const drop = (reason: string, note?: string): Capability => ({ mark: '✗', reason, note })
const approx = (reason: string, note = reason): Capability => ({ mark: '≈', reason, note })
const renumber = (reason: string, note?: string): Capability => ({ mark: '↻', reason, note })

/** Cells equal for every target but those given. */
function row(
  key: CapabilitySubject,
  title: string,
  all: Capability,
  some: Partial<Record<CapabilityTarget, Capability>> = {},
  subject: string = key,
): Row {
  const cells = {} as Record<CapabilityTarget, Capability>
  for (const t of CAPABILITY_TARGETS) cells[t] = some[t] ?? all
  return { key, subject, title, cells }
}

const YOLO = ['yolo:detect', 'yolo:segment', 'yolo:pose', 'yolo:obb'] as const
const forYolo = (c: Capability): Partial<Record<CapabilityTarget, Capability>> =>
  Object.fromEntries(YOLO.map((t) => [t, c]))

const ROWS: readonly Row[] = [
  // Precision: not a loss the report counts, but what a round trip may move (see PRECISION).
  row('coordinates', 'coordinate precision', keep('exact'), {
    coco: keep('as read'),
    ...forYolo(keep('6 decimals: within 1e-6 × side')),
    voc: keep('shortest exact form'),
  }),
  row('box', 'box', keep(), {
    'yolo:segment': approx(
      'written as a 4-point polygon (segment lines hold polygons)',
      '4-point polygon',
    ),
    'yolo:obb': keep('angle 0'),
  }),
  row('polygon', 'polygon', keep(), {
    'yolo:detect': drop('the detect task keeps boxes only', 'box kept'),
    'yolo:pose': drop('the pose task keeps boxes and keypoints', 'box kept'),
    'yolo:obb': approx('written as its axis-aligned box', 'its box'),
    voc: drop('VOC objects are boxes', 'box kept'),
  }),
  row(
    'polygon without box',
    'polygon with no box of its own (DM, YOLO segment)',
    keep(),
    {
      'yolo:detect': approx('written as its bounding box', 'its box'),
      'yolo:pose': approx('written as its bounding box', 'its box'),
      'yolo:obb': approx('written as its axis-aligned box', 'its box'),
      voc: approx('written as its bounding box', 'its box'),
    },
    'polygon',
  ),
  row('multi-ring polygon', 'polygon with several rings', keep(), {
    // Where a polygon becomes a box, its rings do too: reported as the polygon row says.
    'yolo:detect': drop('the detect task keeps boxes only', 'box kept'),
    'yolo:pose': drop('the pose task keeps boxes and keypoints', 'box kept'),
    'yolo:obb': approx('written as its axis-aligned box', 'its box'),
    voc: drop('VOC objects are boxes', 'box kept'),
    'yolo:segment': approx(
      'YOLO holds one ring per line; each ring written as its own object',
      'one object per ring',
    ),
    dm_v2: keep('`_ring_of`'),
    dm_v1: approx(
      'DM v1 keeps no `_ring_of` link; each ring comes back as its own object',
      'one object per ring',
    ),
  }),
  row('RLE mask', 'RLE mask (crowd or not)', keep(), {
    coco: keep('compressed or not, as read'),
    'yolo:detect': drop('the detect task keeps boxes only', 'box kept; crowd skipped¹'),
    'yolo:segment': approx(
      'written as its outline, one object per part (same pixels)',
      'traced outline²; crowd skipped¹',
    ),
    'yolo:pose': drop('the pose task keeps boxes and keypoints', 'box kept'),
    'yolo:obb': approx('written as its axis-aligned box', 'its box'),
    voc: drop(
      'VOC objects are boxes (masks live in PNGs this writer does not make)',
      'box kept; crowd skipped¹',
    ),
    dm_v2: keep('pixel indices'),
    dm_v1: keep('pixel indices (size then from the image)'),
  }),
  row(
    'mask without box',
    'mask with no box of its own (DM segmentation)',
    keep(),
    {
      'yolo:detect': approx('written as its bounding box', 'its box'),
      'yolo:segment': approx('written as its outline (same pixels)', 'traced outline²'),
      'yolo:pose': approx('written as its bounding box', 'its box'),
      'yolo:obb': approx('written as its axis-aligned box', 'its box'),
      voc: approx('written as its bounding box', 'its box'),
      dm_v2: keep('pixel indices'),
      dm_v1: keep('pixel indices'),
    },
    'RLE mask',
  ),
  row('iscrowd flag', '`iscrowd`', drop('the format has no crowd flag', '¹'), {
    coco: keep(),
    ...forYolo(drop('YOLO has no crowd flag; written as an ordinary object', '¹')),
    voc: drop('VOC has no crowd flag; written as an ordinary object', '¹'),
    dm_v2: keep('`_iscrowd`'),
    dm_v1: drop('DM v1 keeps no `_iscrowd` attr'),
  }),
  row(
    'area',
    'stored `area`',
    drop('YOLO stores no area (recomputed from the geometry on the way back)'),
    {
      coco: keep(),
      'yolo:detect': drop(
        'YOLO stores no area (recomputed from the geometry on the way back)',
        'recomputed on the way back',
      ),
      voc: drop('VOC stores no area (box area is implied)', 'unless it equals the box area'),
      dm_v2: keep('`_area`'),
      dm_v1: drop('DM v1 keeps no `_area` attr'),
    },
  ),
  row('keypoints', 'keypoints + visibility', drop('the format has no keypoints'), {
    coco: keep(),
    'yolo:detect': drop('the detect task keeps boxes only'),
    'yolo:segment': drop('the segment task has no keypoints'),
    'yolo:pose': keep('`kpt_shape` [k, 3]'),
    'yolo:obb': drop('the OBB task has no keypoints'),
    voc: drop('VOC objects are boxes'),
    dm_v2: keep('keypoint items on their box'),
    dm_v1: approx(
      'DM v1 keeps no link from a keypoint to its box: keypoints come back as lone points',
      'lone points',
    ),
  }),
  row(
    'keypoint names/skeleton',
    'keypoint names, skeleton',
    drop('the format has no keypoint schema'),
    {
      coco: keep(),
      'yolo:pose': keep('in `data.yaml` `synapse:`'),
      dm_v2: drop('DM classes have no keypoint schema'),
      dm_v1: drop('DM classes have no keypoint schema'),
    },
  ),
  row(
    'oriented box',
    'oriented box (YOLO obb, DM rotated box)',
    approx('written as its axis-aligned box', 'axis-aligned box'),
    {
      coco: approx('written as a 4-point polygon (COCO has no OBB)', '4-point polygon'),
      'yolo:segment': approx('written as a 4-point polygon', '4-point polygon'),
      'yolo:pose': approx('written as its axis-aligned box', 'box'),
      'yolo:obb': keep(),
      dm_v2: keep('`rotation` attr'),
      dm_v1: keep(),
    },
  ),
  row('polyline', 'polyline (DM)', drop('the format has no open lines'), {
    coco: drop('COCO has no open lines'),
    ...forYolo(drop('YOLO has no open lines')),
    voc: drop('VOC objects are boxes'),
    dm_v2: keep(),
    dm_v1: keep(),
  }),
  row('point', 'lone point (DM)', drop('the format has no lone points'), {
    coco: approx('written as a one-keypoint annotation', 'one-keypoint annotation'),
    ...forYolo(drop('YOLO has no lone points')),
    voc: drop('VOC objects are boxes'),
    dm_v2: keep(),
    dm_v1: keep(),
  }),
  row('DM relation/group', 'relation, group (DM)', drop('the format has no relations or groups'), {
    coco: drop('COCO has no relations or groups'),
    ...forYolo(drop('YOLO has no relations or groups')),
    voc: drop('VOC has no relations or groups'),
    dm_v2: keep(),
    dm_v1: keep(),
  }),
  row(
    'image class',
    'image-level class (YOLO classification folders)',
    drop('the format has no image-level labels'),
    {
      coco: drop('COCO instances have no image-level labels'),
      ...forYolo(drop('object labels hold objects, not image-level classes')),
      voc: drop('VOC objects are boxes, not image-level labels'),
      dm_v2: drop("DM's classification tool is not converted by this package"),
      dm_v1: drop("DM's classification tool is not converted by this package"),
    },
  ),
  row(
    'attributes',
    'attributes (DM attrs, COCO `attributes`, VOC pose/truncated/difficult/occluded)',
    keep(),
    {
      coco: keep('`attributes`'),
      ...forYolo(drop('YOLO labels hold no attributes')),
      voc: keep('others in `<attributes>`, values as text'),
    },
  ),
  row('category id', 'category ids (arbitrary, with gaps)', keep(), {
    'yolo:detect': keep('`synapse.category_ids`'),
    voc: renumber('VOC has class names only; ids become list positions 1..N', '1..N'),
    dm_v2: renumber('DM classes are names; ids become list positions 1..N', '1..N'),
    dm_v1: renumber('DM classes are names; ids become list positions 1..N', '1..N'),
  }),
  row('category', 'classes no annotation uses', keep(), {
    dm_v1: drop('DM v1 files have no class list; a class no annotation uses is lost'),
  }),
  row(
    'class order',
    'class names and order',
    keep(),
    {
      voc: keep('`classes.txt`'),
      dm_v2: keep('full list in every file'),
      dm_v1: renumber(
        'DM v1 files have no class list; read back, classes are numbered by first appearance',
        'by first appearance',
      ),
    },
    'category id',
  ),
  row('supercategory', 'supercategory', drop('the format has no supercategories'), {
    coco: keep(),
    ...forYolo(drop('YOLO classes have no supercategory')),
    voc: drop('VOC classes have no supercategory'),
    dm_v2: drop('DM classes have no supercategory'),
    dm_v1: drop('DM classes have no supercategory'),
  }),
  row(
    'image id',
    'image ids',
    renumber('the format identifies images by file name; ids are reassigned in file order'),
    {
      coco: keep(),
      ...forYolo(renumber('YOLO identifies images by file name; ids are reassigned in file order')),
      voc: renumber('VOC identifies images by file name; ids are reassigned in file order'),
      dm_v2: renumber('DM identifies images by file name; ids are reassigned in file order'),
      dm_v1: renumber('DM identifies images by file name; ids are reassigned in file order'),
    },
  ),
  row('info/licenses', '`info`, `licenses`', drop('the format has no dataset metadata'), {
    coco: keep(),
    ...forYolo(drop('YOLO has no dataset metadata')),
    voc: drop('VOC has no dataset metadata'),
    dm_v2: drop('DM has no dataset metadata'),
    dm_v1: drop('DM has no dataset metadata'),
  }),
  row(
    'image metadata',
    'image fields of another format (COCO `license`, VOC `folder`, `<source>`)',
    drop('the format keeps only its own image fields', "its own format's kept"),
    {
      ...forYolo(drop('YOLO keeps no per-image fields (license, url, date)')),
      dm_v2: drop('DM keeps no per-image fields'),
      dm_v1: drop('DM keeps no per-image fields'),
    },
  ),
  row(
    'annotation metadata',
    'annotation fields of another format (unknown COCO keys, VOC `<part>`, `<actions>`)',
    drop('the format keeps only its own annotation fields', "its own format's kept"),
    {
      ...forYolo(drop('YOLO keeps no per-object fields')),
      dm_v2: drop('DM keeps no fields of other formats'),
      dm_v1: drop('DM keeps no fields of other formats'),
    },
  ),
]

const BY_KEY = new Map(ROWS.map((r) => [r.key, r]))

/**
 * How far a coordinate may move through each target, relative to the image's larger side, and
 * absolutely (float rounding of exact-decimal arithmetic): the `coordinates` row as numbers, for
 * the differ and `verify`.
 */
const PRECISION: Record<CapabilityTarget, { relative: number; absolute: number }> = {
  coco: { relative: 0, absolute: 1e-9 },
  'yolo:detect': { relative: YOLO_TOLERANCE, absolute: 1e-9 },
  'yolo:segment': { relative: YOLO_TOLERANCE, absolute: 1e-9 },
  'yolo:pose': { relative: YOLO_TOLERANCE, absolute: 1e-9 },
  'yolo:obb': { relative: YOLO_TOLERANCE, absolute: 1e-9 },
  voc: { relative: 0, absolute: 1e-9 },
  dm_v2: { relative: 0, absolute: 1e-9 },
  dm_v1: { relative: 0, absolute: 1e-9 },
}

/** The coordinate tolerance (pixels) through `targets`, for an image whose larger side is `side`. */
export function coordinateTolerance(
  targets: readonly CapabilityTarget[],
): (side: number) => number {
  let relative = 0
  let absolute = 0
  for (const t of targets) {
    relative += PRECISION[t].relative
    absolute += PRECISION[t].absolute
  }
  return (side) => relative * side + absolute
}

/** The target a conversion writes, as the table names it. */
export function capabilityTarget(format: DatasetFormat, task?: YoloTask): CapabilityTarget {
  if (format !== 'yolo') return format
  if (task === 'segment' || task === 'pose' || task === 'obb') return `yolo:${task}`
  return 'yolo:detect'
}

/** The cell for `subject` in `target`'s column. */
export function capability(target: CapabilityTarget, subject: CapabilitySubject): Capability {
  return BY_KEY.get(subject)!.cells[target]
}

/** The loss kind a mark stands for (`undefined` for ✓). */
export function lossKindOf(mark: CapabilityMark): LossKind | undefined {
  return mark === '≈'
    ? 'approximated'
    : mark === '✗'
      ? 'dropped'
      : mark === '↻'
        ? 'renumbered'
        : undefined
}

/**
 * Reports `count` × `subject` as the table says `target` treats it: nothing when it keeps it,
 * else the cell's kind and reason. Writers call this instead of stating losses themselves.
 */
export function reportLoss(
  report: ReportBuilder,
  target: CapabilityTarget,
  subject: CapabilitySubject,
  where?: string | (() => string),
  count = 1,
): void {
  const loss = resolvedLoss(target, subject)
  if (loss !== null) report.loss(loss.kind, loss.subject, loss.reason, where, count)
}

interface ResolvedLoss {
  kind: LossKind
  subject: string
  reason: string
}

/** Each cell's report entry, worked out once: writers report some subjects per annotation. */
const RESOLVED = new Map<CapabilitySubject, Map<CapabilityTarget, ResolvedLoss | null>>()

function resolvedLoss(target: CapabilityTarget, subject: CapabilitySubject): ResolvedLoss | null {
  let byTarget = RESOLVED.get(subject)
  if (byTarget === undefined) {
    byTarget = new Map()
    RESOLVED.set(subject, byTarget)
  }
  let loss = byTarget.get(target)
  if (loss === undefined) {
    const cell = capability(target, subject)
    const kind = lossKindOf(cell.mark)
    // A row's shared reason says "the format": name the target instead.
    loss =
      kind === undefined
        ? null
        : {
            kind,
            subject: BY_KEY.get(subject)!.subject,
            reason: (cell.reason ?? subject).replace(/^the format\b/, formatName(target)),
          }
    byTarget.set(target, loss)
  }
  return loss
}

/** The target's format, as reports name it (`YOLO`, not `YOLO segment`). */
function formatName(target: CapabilityTarget): string {
  return target.startsWith('yolo:') ? 'YOLO' : TARGET_TITLES[target]
}

/** The conversion matrix of the package README, as Markdown, rendered from the table. */
export function renderConversionMatrix(): string {
  const head = `| source holds ↓ / target → | ${CAPABILITY_TARGETS.map((t) => TARGET_TITLES[t]).join(' | ')} |`
  const rule = `|---|${CAPABILITY_TARGETS.map(() => '---').join('|')}|`
  const lines = ROWS.map((r) => {
    const cells = CAPABILITY_TARGETS.map((t) => {
      const c = r.cells[t]
      if (c.note === undefined) return c.mark
      return /^[¹²]/.test(c.note) ? `${c.mark}${c.note}` : `${c.mark} (${c.note})`
    })
    return `| ${r.title} | ${cells.join(' | ')} |`
  })
  return [head, rule, ...lines].join('\n')
}
