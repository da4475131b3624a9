import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { PluginError } from '@synapse/core'
import { describe, expect, it } from 'vitest'
import {
  buildArchive,
  extractArchive,
  listPluginFiles,
  readTar,
  sha256Hex,
  writeTar,
} from '../src/index'
import { pluginFolder, tempDir, writeTree } from './helpers'

const file = (path: string, text = 'x') => ({
  path,
  type: 'file' as const,
  mode: 0o644,
  data: new TextEncoder().encode(text),
})

function caught(fn: () => unknown): PluginError {
  try {
    fn()
  } catch (error) {
    if (PluginError.is(error)) return error
    throw error
  }
  throw new Error('expected an error')
}

describe('buildArchive', () => {
  it('honours default ignores, .gitignore and .synapseignore (with ! re-includes)', async () => {
    const dir = pluginFolder('1.0.0', {
      'node_modules/x/index.js': '',
      'dist/out.js': '',
      '.git/HEAD': '',
      '.synapse/synapse.db': '',
      '.gitignore': 'tmp/\n',
      'tmp/scratch.txt': '',
      '.synapseignore': '# tests stay home\ntests/\n*.ckpt\n!keep.ckpt\n',
      'tests/a.test.js': '',
      'weights/big.ckpt': '',
      'keep.ckpt': '',
      'src/deep/nested/file.ts': '',
    })
    expect(listPluginFiles(dir).files).toEqual([
      '.gitignore',
      '.synapseignore',
      'README.md',
      'config.yaml',
      'keep.ckpt',
      'src/deep/nested/file.ts',
      'src/greet.js',
    ])
  })

  it('never packs .env, keys or credentials, even when no rule ignores them, and names each', async () => {
    const dir = pluginFolder('1.0.0', {
      '.env': 'API_KEY=secret',
      '.env.production': 'API_KEY=secret',
      '.env.example': 'API_KEY=',
      'certs/server.pem': '-----BEGIN',
      'keys/id_rsa': '-----BEGIN',
      'keys/id_rsa.pub': 'ssh-rsa',
      'credentials.json': '{}',
      '.synapseignore': '!.env\n',
    })
    const packed = await buildArchive(dir)
    expect(packed.secretsExcluded).toEqual([
      '.env',
      '.env.production',
      'certs/server.pem',
      'credentials.json',
      'keys/id_rsa',
    ])
    const names = readTar(gunzipSync(packed.archive)).map((e) => e.path)
    expect(names).toContain('.env.example')
    expect(names).toContain('keys/id_rsa.pub')
    for (const secret of packed.secretsExcluded) expect(names).not.toContain(secret)
  })

  it('is deterministic and its checksum is the SHA-256 of the bytes', async () => {
    const dir = pluginFolder()
    const a = await buildArchive(dir)
    const b = await buildArchive(dir)
    expect(Buffer.from(a.archive).equals(Buffer.from(b.archive))).toBe(true)
    expect(a.checksum).toBe(sha256Hex(a.archive))
    expect(a.checksum).toMatch(/^[0-9a-f]{64}$/)
  })

  it('packs a ustar that the system tar reads, long paths and modes included', async () => {
    const long = `src/${'a'.repeat(60)}/${'b'.repeat(60)}/c.js`
    // Over a MiB: several gzip members, which every reader takes as one stream.
    const big = randomBytes(3 << 20).toString('base64')
    const dir = pluginFolder('1.0.0', {
      [long]: 'long',
      'bin/run.sh': '#!/bin/sh\n',
      'big.txt': big,
    })
    chmodSync(join(dir, 'bin/run.sh'), 0o755)
    symlinkSync('/etc/passwd', join(dir, 'passwd-link'))
    const packed = await buildArchive(dir)
    expect(packed.warnings).toEqual(['passwd-link: symbolic link skipped'])
    const out = tempDir()
    const archivePath = join(out, 'a.tar.gz')
    execFileSync('sh', ['-c', `cat > ${archivePath}`], { input: packed.archive })
    const listing = execFileSync('tar', ['-tvzf', archivePath], { encoding: 'utf8' })
    expect(listing).toContain(long)
    expect(listing).toMatch(/-rwxr-xr-x .* bin\/run\.sh/)
    execFileSync('tar', ['-xzf', archivePath, '-C', out])
    expect(readFileSync(join(out, long), 'utf8')).toBe('long')
    expect(readFileSync(join(out, 'big.txt'), 'utf8')).toBe(big)
    const ours = join(tempDir(), 'demo')
    extractArchive(packed.archive, packed.checksum, ours)
    expect(readFileSync(join(ours, 'big.txt'), 'utf8')).toBe(big)
  })
})

describe('extractArchive', () => {
  it('unpacks what buildArchive packed, byte for byte', async () => {
    const dir = pluginFolder()
    const packed = await buildArchive(dir)
    const target = join(tempDir(), 'demo')
    extractArchive(packed.archive, packed.checksum, target)
    for (const rel of packed.files) {
      expect(readFileSync(join(target, rel), 'utf8')).toBe(readFileSync(join(dir, rel), 'utf8'))
    }
  })

  it.each([
    ['../escape.txt', 'escapes the target directory'],
    ['src/../../escape.txt', 'escapes the target directory'],
    ['/tmp/absolute.txt', 'is an absolute path'],
    ['C:/windows.txt', 'is an absolute path'],
    ['src\\..\\x.txt', 'contains a backslash'],
  ])('refuses an entry %j and writes nothing', (bad, why) => {
    const archive = gzipSync(writeTar([file('config.yaml'), file(bad, 'pwned')]))
    const root = tempDir()
    const target = join(root, 'cache', 'demo')
    const error = caught(() => extractArchive(archive, sha256Hex(archive), target))
    expect(error.code).toBe('UNSAFE_ARCHIVE_ENTRY')
    expect(error.message).toContain(JSON.stringify(bad))
    expect(error.message).toContain(why)
    expect(existsSync(target)).toBe(false)
    expect(existsSync(join(root, 'escape.txt'))).toBe(false)
    expect(existsSync('/tmp/absolute.txt')).toBe(false)
    expect(readdirSync(root)).toEqual([])
  })

  it('refuses a tampered archive (checksum mismatch) before reading it', async () => {
    const packed = await buildArchive(pluginFolder())
    const tampered = new Uint8Array(packed.archive)
    tampered[tampered.length - 20]! ^= 0xff
    const target = join(tempDir(), 'demo')
    const error = caught(() => extractArchive(tampered, packed.checksum, target))
    expect(error.code).toBe('CHECKSUM_MISMATCH')
    expect(error.message).toContain(packed.checksum)
    expect(existsSync(target)).toBe(false)
  })

  it('refuses links and leaves nothing half-extracted when a later entry fails', async () => {
    const tar = writeTar([file('config.yaml'), file('src/a.js')])
    // Turn the second entry into a symlink: change its type flag and fix its header checksum.
    const h = tar.subarray(1024, 1536)
    h[156] = 0x32
    h.fill(0x20, 148, 156)
    const sum = h.reduce((s, b) => s + b, 0)
    h.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148)
    const archive = gzipSync(tar)
    const root = tempDir()
    const error = caught(() => extractArchive(archive, sha256Hex(archive), join(root, 'demo')))
    expect(error.code).toBe('ARCHIVE_FAILED')
    expect(error.message).toContain("src/a.js (tar type '2')")
    expect(readdirSync(root)).toEqual([])
  })

  it('a duplicate entry fails the whole extraction, nothing left behind', async () => {
    const archive = gzipSync(writeTar([file('a'), file('a/b')]))
    const root = tempDir()
    const error = caught(() => extractArchive(archive, sha256Hex(archive), join(root, 'demo')))
    expect(error.code).toBe('ARCHIVE_FAILED')
    expect(readdirSync(root)).toEqual([])
  })

  it('reads archives the system tar made', async () => {
    const dir = writeTree(tempDir(), { 'config.yaml': 'code: x\n', 'src/a.js': 'a' })
    const out = execFileSync('tar', [
      '--format=ustar',
      '-czf',
      '-',
      '-C',
      dir,
      'config.yaml',
      'src/a.js',
    ])
    const target = join(tempDir(), 'x')
    extractArchive(out, sha256Hex(out), target)
    expect(readFileSync(join(target, 'src/a.js'), 'utf8')).toBe('a')
  })
})
