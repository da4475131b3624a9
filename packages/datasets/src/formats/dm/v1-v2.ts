import type { Attr } from '../../model'
import type { DmV1File, DmV2File, DmV2Item } from './schema'

/** v1 tool names, camelCase or snake_case, to the v2 key; tools with no image meaning map to undefined. */
const V1_TOOLS: Record<string, string> = {
  bounding_box: 'bounding_box',
  boundingBox: 'bounding_box',
  polygon: 'polygon',
  polyline: 'polyline',
  keypoint: 'keypoint',
  segmentation: 'segmentation',
  relation: 'relation',
  group: 'group',
}

/** What {@link dmV1ToV2} left out: tools with no image meaning, per tool name. */
export type DroppedTools = Map<string, number>

/**
 * Where each v2 item's data came from in the v1 file (`['annotationsData', 'image_1', 3,
 * 'coordinate']`), so an error about it names a path that exists in the file the user has.
 */
export const v1DataPath = new WeakMap<DmV2Item, (string | number)[]>()

/**
 * DM v1 (events plus coordinates joined on `id`) → DM v2. `rotation` becomes the first attr, the
 * other classification keys follow in key order; meta flags (`isLocked`, …) are dropped.
 */
export function dmV1ToV2(v1: DmV1File, dropped: DroppedTools): DmV2File {
  const images: DmV2File['images'] = []
  const classification: Record<string, string[]> = {}
  const addClass = (tool: string, cls: string): void => {
    classification[tool] ??= []
    const list = classification[tool]
    if (!list.includes(cls)) list.push(cls)
  }
  for (const [asset, events] of Object.entries(v1.annotations)) {
    const rows = v1.annotationsData?.[asset] ?? []
    const data = new Map(rows.map((d) => [d.id, d]))
    const rowOf = new Map(rows.map((d, k) => [d.id, k]))
    const image: Record<string, DmV2Item[]> = {}
    const push = (tool: string, item: DmV2Item): void => {
      image[tool] ??= []
      image[tool].push(item)
      addClass(tool, item.classification)
    }
    for (const ev of events) {
      const tool = V1_TOOLS[ev.tool]
      if (tool === undefined || tool === 'relation' || tool === 'group') {
        dropped.set(ev.tool, (dropped.get(ev.tool) ?? 0) + 1)
        continue
      }
      const { class: cls, ...rest } = ev.classification ?? {}
      const attrs: Attr[] = []
      const d = data.get(ev.id)
      const coord = d?.coordinate
      let value: unknown
      if (
        tool === 'bounding_box' &&
        coord !== undefined &&
        !Array.isArray(coord) &&
        'width' in coord
      ) {
        value = [coord.x, coord.y, coord.width, coord.height]
        if (coord.rotation !== undefined) attrs.push({ name: 'rotation', value: coord.rotation })
      } else if ((tool === 'polygon' || tool === 'polyline') && Array.isArray(coord)) {
        value = coord.map((p) => [p.x, p.y])
      } else if (tool === 'keypoint' && coord !== undefined && !Array.isArray(coord)) {
        value = [coord.x, coord.y]
      } else if (tool === 'segmentation' && d?.pixel_indices !== undefined) {
        value = d.pixel_indices
      } else {
        // The shapes disagree with the tool, or there is no data: v2's schema check reports it.
        value = coord ?? d?.pixel_indices ?? null
      }
      for (const [name, v] of Object.entries(rest)) attrs.push({ name, value: v })
      const item: DmV2Item = {
        id: ev.id,
        classification: cls === undefined ? '' : String(cls),
        attrs,
        data: value,
      }
      const row = rowOf.get(ev.id)
      v1DataPath.set(
        item,
        row === undefined
          ? ['annotations', asset, events.indexOf(ev)]
          : [
              'annotationsData',
              asset,
              row,
              d?.pixel_indices !== undefined ? 'pixel_indices' : 'coordinate',
            ],
      )
      push(tool, item)
    }
    for (const r of v1.relations?.[asset] ?? []) {
      const { class: cls, ...rest } = r.classification ?? {}
      push('relation', {
        id: r.id,
        classification: cls === undefined ? '' : String(cls),
        attrs: Object.entries(rest).map(([name, value]) => ({ name, value })),
        data: [r.annotationId, r.targetAnnotationId],
      })
    }
    for (const g of v1.annotationGroups?.[asset] ?? []) {
      const { class: cls, ...rest } = g.classification ?? {}
      push('group', {
        id: g.id,
        classification: cls === undefined ? '' : String(cls),
        attrs: Object.entries(rest).map(([name, value]) => ({ name, value })),
        data: g.annotationList.map((a) => a.annotationId),
      })
    }
    images.push(image)
  }
  return { classification, images }
}

/**
 * DM v2 → DM v1. Attrs named with a leading `_` are internal and are not written (the DM rule);
 * `rotation` goes back into the coordinate. Returns the v1 file and how many internal attrs went.
 */
export function dmV2ToV1(v2: DmV2File): { v1: DmV1File; internalAttrs: number } {
  const v1: DmV1File = {
    annotations: {},
    annotationsData: {},
    relations: {},
    annotationGroups: {},
    extra: {},
  }
  let internalAttrs = 0
  v2.images.forEach((image, i) => {
    const asset = `image_${i + 1}`
    const events: DmV1File['annotations'][string] = []
    const data: NonNullable<DmV1File['annotationsData']>[string] = []
    const relations: NonNullable<DmV1File['relations']>[string] = []
    const groups: NonNullable<DmV1File['annotationGroups']>[string] = []
    for (const [tool, items] of Object.entries(image)) {
      for (const item of items) {
        const classification: Record<string, unknown> = { class: item.classification }
        let rotation: number | undefined
        for (const a of item.attrs ?? []) {
          if (a.name.startsWith('_')) internalAttrs++
          else if (a.name === 'rotation' && tool === 'bounding_box' && typeof a.value === 'number')
            rotation = a.value
          else classification[a.name] = a.value
        }
        if (tool === 'relation') {
          const [from, to] = item.data as [string, string]
          relations.push({
            id: item.id,
            tool: 'relation',
            annotationId: from,
            targetAnnotationId: to,
            classification,
          })
          continue
        }
        if (tool === 'group') {
          const ids = item.data as string[]
          groups.push({
            id: item.id,
            tool: 'annotationGroup',
            classification,
            annotationList: ids.map((annotationId) => ({ annotationId, children: [] })),
          })
          continue
        }
        events.push({ id: item.id, tool, isLocked: false, isVisible: true, classification })
        if (tool === 'bounding_box') {
          const [x, y, width, height] = item.data as number[]
          const coordinate: Record<string, number> = {
            x: x!,
            y: y!,
            width: width!,
            height: height!,
          }
          if (rotation !== undefined) coordinate['rotation'] = rotation
          data.push({
            id: item.id,
            coordinate: coordinate as { x: number; y: number; width: number; height: number },
          })
        } else if (tool === 'polygon' || tool === 'polyline') {
          const pts = item.data as [number, number][]
          data.push({
            id: item.id,
            coordinate: pts.map(([x, y], k) => ({ x, y, id: `${item.id}-${k}` })),
          })
        } else if (tool === 'keypoint') {
          const [x, y] = item.data as number[]
          data.push({ id: item.id, coordinate: { x: x!, y: y! } })
        } else if (tool === 'segmentation') {
          data.push({ id: item.id, pixel_indices: item.data as number[] })
        }
      }
    }
    v1.annotations[asset] = events
    v1.annotationsData![asset] = data
    if (relations.length > 0) v1.relations![asset] = relations
    if (groups.length > 0) v1.annotationGroups![asset] = groups
  })
  return { v1, internalAttrs }
}
