import { expect, test } from 'vitest'
import { DatasetError } from '../errors'
import { child, escapeXml, parseXml } from './xml'

test('elements, attributes, entities, CDATA, comments, declarations', () => {
  const root = parseXml(
    '\ufeff<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<a k="v &amp; w"><!-- c --><b>x &lt; y &#65;&#x42;</b><c><![CDATA[<raw>]]></c><d/></a>',
    'f.xml',
  )
  expect(root.name).toBe('a')
  expect(root.attrs['k']).toBe('v & w')
  expect(child(root, 'b')?.text).toBe('x < y AB')
  expect(child(root, 'c')?.text).toBe('<raw>')
  expect(child(root, 'd')?.children).toEqual([])
  expect(escapeXml(`<&"'>`)).toBe('&lt;&amp;&quot;&apos;&gt;')
})

test.each([
  ['<a><b></a>', 1, /expected <\/b>/],
  ['<a>\n<b>\n', 3, /unclosed tag <b>/],
  ['<a>\n  &bogus;</a>', 1, /unknown entity/],
  ['<a></a><b/>', 1, /more than one root/],
  ['', 1, /no root element/],
  ['<a x=1></a>', 1, /unquoted/],
  ['<a>&#xFFFFFFF;</a>', 1, /invalid character reference/],
])('malformed XML %j fails with a located DatasetError', (text, line, message) => {
  try {
    parseXml(text, 'bad.xml')
    expect.unreachable()
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError)
    const e = error as DatasetError
    expect(e.code).toBe('DATASET_PARSE_ERROR')
    expect(e.file).toBe('bad.xml')
    expect(e.line).toBeGreaterThanOrEqual(line)
    expect(e.message).toMatch(message)
  }
})
