import { describe, expect, test } from 'vitest'
import { diffDatasets } from '../src/diff'
import type { Annotation, Dataset } from '../src/model'

function dataset(anns: Annotation[], extra: Partial<Dataset> = {}): Dataset {
  return {
    categories: [
      { id: 1, name: 'cat', supercategory: 'animal' },
      { id: 2, name: 'dog' },
    ],
    images: [{ id: 1, fileName: 'a.png', split: '', width: 100, height: 50, annotations: anns }],
    ...extra,
  }
}

const subjects = (a: Dataset, b: Dataset, tol?: number) =>
  diffDatasets(a, b, tol === undefined ? {} : { tolerance: () => tol }).map((c) => c.subject)

const BOX: Annotation = { categoryId: 1, bbox: [10, 10, 20, 10], area: 200 }

describe('diffDatasets', () => {
  test('the same dataset has no differences; implied values count as equal', () => {
    expect(subjects(dataset([BOX]), dataset([BOX]))).toEqual([])
    // No stored area or box: implied from the polygon, as a COCO writer would store them.
    const poly: Annotation = { categoryId: 1, polygons: [[0, 0, 10, 0, 10, 10]] }
    const stored: Annotation = { ...poly, bbox: [0, 0, 10, 10], area: 50 }
    expect(subjects(dataset([poly]), dataset([stored]))).toEqual([])
  })

  test('each kind of change is named by its report subject', () => {
    const a = dataset([BOX])
    // The stored area stays: only the box differs.
    expect(subjects(a, dataset([{ ...BOX, bbox: [10, 10, 20, 11] }]))).toEqual(['box'])
    expect(subjects(a, dataset([{ ...BOX, area: 201 }]))).toEqual(['area'])
    expect(subjects(a, dataset([{ ...BOX, categoryId: 2 }]))).toContain('box')
    expect(subjects(a, dataset([{ ...BOX, attrs: [{ name: 'x', value: 1 }] }]))).toEqual([
      'attributes',
    ])
    expect(subjects(a, dataset([{ ...BOX, iscrowd: true }]))).toEqual(['iscrowd flag'])
    expect(subjects(a, dataset([]))).toEqual(['box', 'area'])
    const twoRings: Annotation = {
      categoryId: 1,
      polygons: [
        [0, 0, 4, 0, 4, 4],
        [5, 5, 9, 5, 9, 9],
      ],
    }
    const split = [
      { categoryId: 1, polygons: [[0, 0, 4, 0, 4, 4]] },
      { categoryId: 1, polygons: [[5, 5, 9, 5, 9, 9]] },
    ]
    expect(subjects(dataset([twoRings]), dataset(split))).toContain('polygon')
  })

  test('class ids by name, supercategories, metadata and images', () => {
    const a = dataset([BOX], { info: { year: 2024 } })
    const b = dataset([BOX])
    b.categories = [
      { id: 5, name: 'cat' },
      { id: 2, name: 'dog' },
    ]
    b.images[0]!.annotations = [{ ...BOX, categoryId: 5 }]
    b.images[0]!.id = 7
    expect(subjects(a, b).sort()).toEqual([
      'category id',
      'image id',
      'info/licenses',
      'supercategory',
    ])
    const none = dataset([])
    none.images = []
    expect(subjects(a, none)).toContain('image')
  })

  test('coordinates within the tolerance are equal, beyond it not', () => {
    const moved = dataset([{ ...BOX, bbox: [10.0004, 10, 20, 10] }])
    expect(subjects(dataset([BOX]), moved, 1e-3)).toEqual([])
    expect(subjects(dataset([BOX]), moved, 1e-4)).toEqual(['box'])
  })
})
