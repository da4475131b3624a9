import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { FileSink, WriteBatch } from './fs'

const dir = mkdtempSync(join(tmpdir(), 'synapse-fs-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('a list of chunks becomes one file, in order, empty chunks and all', async () => {
  const sink = new FileSink()
  // More chunks than one writev call takes (IOV_MAX is 1024 on Linux).
  const chunks = Array.from({ length: 3000 }, (_, i) =>
    i % 7 === 0 ? new Uint8Array(0) : Buffer.from(`${i},`),
  )
  await sink.write(join(dir, 'sub', 'a.json'), chunks)
  // Writes run concurrently; an append to the same file waits for the write (as the stream does).
  await sink.flush()
  await sink.write(join(dir, 'sub', 'a.json'), [Buffer.from('end')], true)
  await sink.flush()
  const want = `${chunks.map((c) => Buffer.from(c).toString()).join('')}end`
  expect(readFileSync(join(dir, 'sub', 'a.json'), 'utf8')).toBe(want)
  expect(sink.files).toBe(1)
  expect(sink.bytes).toBe(Buffer.byteLength(want))
})

test('a chunk list that cannot be written is a typed error naming the file', async () => {
  const sink = new FileSink()
  const target = join(dir, 'a-dir')
  await sink.mkdir(target)
  await sink.write(target, [Buffer.from('x')])
  await expect(sink.flush()).rejects.toMatchObject({ code: 'DATASET_IO_ERROR', file: target })
})

test('a write batch holds files until its limit, then hands them to the sink in order', async () => {
  const sink = new FileSink()
  const batch = new WriteBatch(sink, 10)
  const path = (n: number): string => join(dir, 'batch', `${n}.txt`)
  await batch.add(path(1), 'abcd')
  await batch.add(path(2), 'efgh')
  expect(sink.files).toBe(0)
  await batch.add(path(3), 'ij')
  expect(sink.files).toBe(3)
  await batch.add(path(4), Buffer.from('k'))
  await batch.flush()
  await sink.flush()
  expect([1, 2, 3, 4].map((n) => readFileSync(path(n), 'utf8'))).toEqual([
    'abcd',
    'efgh',
    'ij',
    'k',
  ])
})
