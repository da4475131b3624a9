import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { convert } from '../src/index'
import { tempDir, writeText } from './helpers'

// A VOC2012 layout file: person parts and actions, plus the <source>/<owner> blocks of VOC2007.
const XML = `<annotation>
	<folder>VOC2012</folder>
	<filename>2007_000170.jpg</filename>
	<source><database>The VOC2007 Database</database><annotation>PASCAL VOC2007</annotation></source>
	<size><width>500</width><height>375</height><depth>3</depth></size>
	<segmented>0</segmented>
	<object>
		<name>person</name>
		<pose>Unspecified</pose>
		<truncated>0</truncated>
		<difficult>0</difficult>
		<bndbox><xmin>87</xmin><ymin>100</ymin><xmax>309</xmax><ymax>375</ymax></bndbox>
		<part><name>head</name><bndbox><xmin>150</xmin><ymin>100</ymin><xmax>209</xmax><ymax>160</ymax></bndbox></part>
		<actions><jumping>1</jumping><phoning>0</phoning></actions>
	</object>
</annotation>
`

function vocInput(): { root: string; input: string } {
  const root = tempDir()
  const input = join(root, 'in')
  writeText(join(input, 'Annotations', '2007_000170.xml'), XML)
  return { root, input }
}

test('VOC → VOC keeps <part>, <actions> and <source>, and reports nothing lost', async () => {
  const { root, input } = vocInput()
  const output = join(root, 'out')
  const { report } = await convert({ from: 'voc', to: 'voc', input, output, images: 'none' })
  expect(report.losses).toEqual([])
  const xml = readFileSync(join(output, 'Annotations', '2007_000170.xml'), 'utf8')
  expect(xml).toContain(
    '<part><name>head</name><bndbox><xmin>150</xmin><ymin>100</ymin><xmax>209</xmax><ymax>160</ymax></bndbox></part>',
  )
  expect(xml).toContain('<actions><jumping>1</jumping><phoning>0</phoning></actions>')
  expect(xml).toContain('<source><database>The VOC2007 Database</database>')
  // Read back, the same again: a fixed point.
  const again = join(root, 'again')
  await convert({ from: 'voc', to: 'voc', input: output, output: again, images: 'none' })
  expect(readFileSync(join(again, 'Annotations', '2007_000170.xml'), 'utf8')).toBe(xml)
})

test('VOC → COCO and → YOLO report the parts and actions they cannot hold', async () => {
  for (const to of ['coco', 'yolo'] as const) {
    const { root, input } = vocInput()
    const { report } = await convert({
      from: 'voc',
      to,
      input,
      output: join(root, 'out'),
      images: 'none',
    })
    const subjects = report.losses.map((l) => `${l.kind} ${l.count} × ${l.subject}`)
    expect(subjects).toContain('dropped 1 × annotation metadata')
    expect(subjects).toContain('dropped 1 × image metadata')
  }
})
