import { join } from 'node:path'
import { expect, test } from 'vitest'
import { convert } from '../src/index'
import { tempDir, writeText } from './helpers'

test('data that does not fit its DM v1 tool is named by its path in that v1 file', async () => {
  const root = tempDir()
  const file = writeText(
    join(root, 'in', 'json', 'a.json'),
    JSON.stringify({
      annotations: {
        image_1: [
          { id: 'ok', tool: 'bounding_box', classification: { class: 'car' } },
          { id: 'bad', tool: 'polygon', classification: { class: 'car' } },
        ],
      },
      annotationsData: {
        image_1: [
          { id: 'ok', coordinate: { x: 1, y: 1, width: 2, height: 2 } },
          // A box's coordinate under a polygon: well-formed v1, wrong data for the tool.
          { id: 'bad', coordinate: { x: 1, y: 1, width: 2, height: 2 } },
        ],
      },
    }),
  )
  const error = await convert({
    from: 'dm_v1',
    to: 'dm_v2',
    input: join(root, 'in'),
    output: join(root, 'out'),
  }).catch((e: unknown) => e)
  expect(error).toMatchObject({ code: 'DATASET_SCHEMA_ERROR', file })
  const path = (error as { jsonPath: string }).jsonPath
  expect(path.startsWith('$.annotationsData.image_1[1].coordinate')).toBe(true)
  expect(path).not.toContain('images')
})
