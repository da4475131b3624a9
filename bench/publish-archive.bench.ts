// publish-archive: packing and checksumming a ~10 MB plugin folder of a few hundred files
// (ignore rules applied: node_modules, .git and a .synapseignore'd folder skipped) with
// @synapse/registry's buildArchive, against `tar -czf` of the same files, in the same run.
// ratio = tar time / buildArchive time (1.0: as fast as the system tar with gzip).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { buildArchive } from '@synapse/registry'
import { median, writeBenchResult } from './lib/bench-result'

const ROUNDS = 7
const root = mkdtempSync(join(tmpdir(), 'synapse-bench-publish-'))
const plugin = join(root, 'plugin')

// A fixed pseudo-random stream: the same folder on every machine and every run.
let seed = 0x2545f491
const next = () => {
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return seed >>> 0
}
const words = ['train', 'epoch', 'model', 'const', 'return', 'await', 'params', 'dataset', 'label']
const text = (bytes: number) => {
  let out = ''
  while (out.length < bytes)
    out += `${words[next() % words.length]}${next() % 7 === 0 ? '\n' : ' '}`
  return out.slice(0, bytes)
}
const binary = (bytes: number) => {
  const b = Buffer.alloc(bytes)
  for (let i = 0; i < bytes; i += 4) b.writeUInt32LE(next(), i)
  return b
}
const put = (rel: string, data: string | Buffer) => {
  const path = join(plugin, rel)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, data)
}

put('config.yaml', 'name: Bench\ncode: bench\nversion: 1.0.0\nactions: {}\n')
put('.synapseignore', 'scratch/\n*.tmp\n')
for (let i = 0; i < 300; i++) put(`src/module-${i % 12}/file-${i}.ts`, text(18_000))
for (let i = 0; i < 40; i++) put(`assets/weights-${i}.bin`, binary(120_000))
// What the ignore rules must skip: these cost the walk nothing but a directory check.
for (let i = 0; i < 200; i++) put(`node_modules/dep-${i}/index.js`, text(2_000))
for (let i = 0; i < 50; i++) put(`.git/objects/${i}`, binary(4_000))
for (let i = 0; i < 20; i++) put(`scratch/${i}.txt`, text(4_000))

try {
  const files = (await buildArchive(plugin)).files
  const list = join(root, 'files.txt')
  writeFileSync(list, `${files.join('\n')}\n`)
  const out = join(root, 'tar.tar.gz')
  const ours: number[] = []
  const floor: number[] = []
  let size = 0
  let tarSize = 0
  for (let round = 0; round < ROUNDS; round++) {
    let t = performance.now()
    const packed = await buildArchive(plugin)
    ours.push(performance.now() - t)
    size = packed.archive.length
    t = performance.now()
    execFileSync('tar', ['-czf', out, '-C', plugin, '-T', list])
    floor.push(performance.now() - t)
    tarSize = Number(execFileSync('stat', ['-c', '%s', out], { encoding: 'utf8' }))
  }
  const value = median(ours)
  const floorMs = median(floor)
  const inputBytes = files.length
  writeBenchResult({
    name: 'publish-archive',
    metric:
      'buildArchive (walk, ignore rules, tar, gzip, sha256) of a 10 MB plugin folder vs tar -czf of the same files',
    value: Number(value.toFixed(1)),
    unit: 'ms',
    floor: Number(floorMs.toFixed(1)),
    ratio: Number((floorMs / value).toFixed(3)),
    extra: { rounds: ROUNDS, files: inputBytes, archiveBytes: size, tarArchiveBytes: tarSize },
  })
} finally {
  if (process.env['KEEP']) console.log(plugin)
  else rmSync(root, { recursive: true, force: true })
}
