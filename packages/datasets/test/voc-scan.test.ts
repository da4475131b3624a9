import fc from 'fast-check'
import { expect, test } from 'vitest'
import { parseVocText, parseVocTree } from '../src/formats/voc/reader'
import { scanVoc } from '../src/formats/voc/scan'

/** The tree path's answer: the annotation, or the error it reports. */
function viaTree(text: string): unknown {
  try {
    return parseVocTree(text, 'a.xml')
  } catch (error) {
    return { error: (error as Error).message }
  }
}

const ws = fc.constantFrom('', '\n', '\n\t', '  ', '\r\n  ')
const value = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('0', '1', '12.5', ' 7 ', '-3', '1e3', 'true', 'false') },
  { weight: 1, arbitrary: fc.constantFrom('', 'x', 'Unspecified', 'dog', '\u00a0') },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
)
/** Mostly nothing, sometimes something the scanner must step aside for or ignore correctly. */
const rare = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 6, arbitrary: fc.constant('') }, { weight: 1, arbitrary: a })
const leaf = (names: readonly string[]) =>
  fc.tuple(fc.constantFrom(...names), value, ws).map(([n, v, w]) => `${w}<${n}>${v}</${n}>`)
const odd = fc.constantFrom(
  '<!-- c -->',
  '<x a="1">y</x>',
  '<br/>',
  '<![CDATA[z]]>',
  '&amp;',
  '<?pi x?>',
  '<name>a<b>c</b></name>',
  '<width><v>3</v></width>',
  '<attributes><attribute><name>k</name><value>v</value></attribute></attributes>',
  '</oops>',
  '<part><name>head</name><bndbox><xmin>1</xmin></bndbox></part>',
)
const box = fc
  .tuple(
    fc
      .shuffledSubarray(['xmin', 'ymin', 'xmax', 'ymax'])
      .chain((ns) => fc.tuple(...ns.map((n) => leaf([n])))),
    fc.array(fc.oneof(leaf(['xmin', 'ymin', 'xmax', 'ymax', 'z']), rare(odd)), { maxLength: 3 }),
  )
  .chain(([a, b]) => fc.shuffledSubarray([...a, ...b], { minLength: a.length + b.length }))
  .map((xs) => `<bndbox>${xs.join('')}</bndbox>`)
const object = fc
  .tuple(
    leaf(['name']),
    box,
    fc.array(
      fc.oneof(
        leaf(['name', 'pose', 'truncated', 'difficult', 'occluded', 'other']),
        box,
        rare(odd),
      ),
      { maxLength: 4 },
    ),
  )
  .chain(([n, b, xs]) => fc.shuffledSubarray([n, b, ...xs], { minLength: xs.length + 2 }))
  .map((xs) => `<object>${xs.join('\n')}</object>`)
const size = fc
  .tuple(
    leaf(['width']),
    leaf(['height']),
    fc.array(fc.oneof(leaf(['width', 'height', 'depth', 'q']), rare(odd)), { maxLength: 3 }),
  )
  .chain(([w, h, xs]) => fc.shuffledSubarray([w, h, ...xs], { minLength: xs.length + 2 }))
  .map((xs) => `<size>${xs.join('')}</size>`)
const doc = fc
  .tuple(
    fc.constantFrom('', '', '', '<?xml version="1.0"?>\n', '\ufeff', ' x'),
    fc.array(
      fc.oneof(
        leaf(['folder', 'filename', 'path', 'segmented', 'source']),
        size,
        object,
        rare(odd),
      ),
      { maxLength: 8 },
    ),
    fc.constantFrom('', '', '\n', 'junk', '<annotation></annotation>'),
    fc.constantFrom('annotation', 'annotation', 'annotation', 'root'),
  )
  .map(([pre, xs, post, root]) => `${pre}<${root}>${xs.join('\n')}</${root}>${post}`)

/** Typical values, so that most documents are valid and take the fast path. */
const valid = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.constantFrom('dog', ' cat ', 'traffic light'),
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
      ),
      { maxLength: 4 },
    ),
    fc.integer({ min: 0, max: 5000 }),
  )
  .map(
    ([objs, w]) =>
      `<annotation>\n\t<filename>${w}.jpg</filename>\n\t<size><width>${w}</width><height>7</height><depth>3</depth></size>\n` +
      objs
        .map(
          ([n, b, t]) =>
            `\t<object><name>${n}</name><pose>Unspecified</pose><truncated>${t ? 1 : 0}</truncated>` +
            `<bndbox><xmin>${b[0]}</xmin><ymin>${b[1]}</ymin><xmax>${b[2]}</xmax><ymax>${b[3]}</ymax></bndbox></object>\n`,
        )
        .join('') +
      '</annotation>\n',
  )

test('the scanner gives what the element tree gives, or steps aside', () => {
  let scanned = 0
  fc.assert(
    fc.property(doc, (text) => {
      const fast = scanVoc(text)
      if (fast === undefined) return
      scanned++
      expect(fast).toStrictEqual(viaTree(text))
      expect(Object.keys(fast)).toEqual(Object.keys(viaTree(text) as object))
    }),
    { numRuns: 3000 },
  )
  expect(scanned).toBeGreaterThan(150)
  fc.assert(
    fc.property(valid, (text) => {
      expect(scanVoc(text)).toStrictEqual(viaTree(text))
    }),
    { numRuns: 300 },
  )
})

test('files with parts the scanner does not read whole come out as the tree reads them', () => {
  const obj = (extra: string) =>
    `<annotation><size><width>5</width><height>6</height></size><object><name>a</name>${extra}` +
    '<bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax></bndbox></object></annotation>'
  for (const extra of [
    '<attributes><attribute><name>k</name><value>v</value></attribute></attributes>',
    '<part><name>head</name><bndbox><xmin>9</xmin></bndbox></part>',
    '<name>b</name><pose>Left</pose><truncated>true</truncated>',
    '<!-- note -->',
    '<occluded x="1">0</occluded>',
    '<name>a &amp; b</name>',
  ]) {
    const text = obj(extra)
    expect(parseVocText(text, 'a.xml')).toStrictEqual(viaTree(text))
  }
})
