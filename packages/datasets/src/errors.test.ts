import { PluginError } from '@synapse/core'
import { expect, test } from 'vitest'
import { DatasetError, isDatasetError } from './errors'

test('DatasetError carries its location and round-trips through JSON', () => {
  const error = new DatasetError('DATASET_PARSE_ERROR', 'invalid JSON', {
    file: 'a.json',
    line: 3,
    column: 7,
  })
  expect(error.message).toBe('a.json:3:7: invalid JSON')
  expect(error.reason).toBe('invalid JSON')
  expect(error).toBeInstanceOf(PluginError)
  const back = PluginError.fromJSON(JSON.parse(JSON.stringify(error.toJSON())))
  expect(back).toBeInstanceOf(DatasetError)
  expect(isDatasetError(back)).toBe(true)
  expect(back.code).toBe('DATASET_PARSE_ERROR')
  expect(back.message).toBe('a.json:3:7: invalid JSON')
  const d = back as DatasetError
  expect([d.file, d.line, d.column]).toEqual(['a.json', 3, 7])
})

test('JSON path locations', () => {
  const error = new DatasetError('DATASET_SCHEMA_ERROR', 'expected number', {
    file: 'c.json',
    jsonPath: '$.annotations[2].bbox',
  })
  expect(error.message).toBe('c.json $.annotations[2].bbox: expected number')
  expect(error.details).toMatchObject({ file: 'c.json', jsonPath: '$.annotations[2].bbox' })
})
