import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EnvironmentError } from '../errors/errors'
import { PluginEnvironment } from './plugin-environment'

const dir = mkdtempSync(join(tmpdir(), 'synapse-env-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function thrown(fn: () => unknown): EnvironmentError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentError)
    return error as EnvironmentError
  }
  throw new Error('expected a throw')
}

describe('PluginEnvironment.fromEnviron', () => {
  it('keeps only prefixed keys, with the prefix removed', () => {
    const env = PluginEnvironment.fromEnviron('SYNAPSE_', {
      SYNAPSE_HOST: 'https://x',
      SYNAPSE_BATCH: '8',
      SYNAPSE_: 'nameless',
      HOME: '/root',
      OTHER_SYNAPSE_X: 'no',
      SYNAPSE_UNSET: undefined,
    })
    expect(env.toObject()).toEqual({ HOST: 'https://x', BATCH: '8' })
  })

  it('reads process.env by default, all keys without a prefix', () => {
    process.env['SYNAPSE_TEST_ENV_PROBE'] = 'probe'
    try {
      expect(PluginEnvironment.fromEnviron().getStr('SYNAPSE_TEST_ENV_PROBE')).toBe('probe')
      expect(PluginEnvironment.fromEnviron('SYNAPSE_TEST_').getStr('ENV_PROBE')).toBe('probe')
    } finally {
      delete process.env['SYNAPSE_TEST_ENV_PROBE']
    }
  })
})

describe('PluginEnvironment.fromFile', () => {
  it('reads TOML with its types, nested tables kept', () => {
    const file = join(dir, 'plugin.env.toml')
    writeFileSync(
      file,
      'BATCH_SIZE = 32\nLR = 0.5\nDEBUG = true\nTAGS = ["a", "b"]\n\n[storage]\nbucket = "x"\n',
    )
    const env = PluginEnvironment.fromFile(file)
    expect(env.get('BATCH_SIZE')).toBe(32)
    expect(env.getFloat('LR')).toBe(0.5)
    expect(env.getBool('DEBUG')).toBe(true)
    expect(env.getList('TAGS')).toEqual(['a', 'b'])
    expect(env.get('storage')).toEqual({ bucket: 'x' })
  })

  it('a missing file is ENV_FILE_NOT_FOUND naming the path', () => {
    const missing = join(dir, 'nope.toml')
    const error = thrown(() => PluginEnvironment.fromFile(missing))
    expect(error.code).toBe('ENV_FILE_NOT_FOUND')
    expect(error.message).toContain(missing)
    expect(error.details['path']).toBe(missing)
  })

  it('invalid TOML names file:line:col', () => {
    const file = join(dir, 'bad.toml')
    writeFileSync(file, 'A = 1\nB = "ok"\nC = = 3\n')
    const error = thrown(() => PluginEnvironment.fromFile(file))
    expect(error.code).toBe('ENV_FILE_INVALID')
    expect(error.message).toMatch(new RegExp(`${escapeRegExp(file)}:3:\\d+`))
    // One line: the TOML library's code frame stays in the cause.
    expect(error.message.split('\n')).toHaveLength(1)
  })
})

describe('PluginEnvironment.merge', () => {
  it('later sources win; undefined sources are skipped; inputs are not changed', () => {
    const base = new PluginEnvironment({ A: '1', B: '1', C: '1' })
    const merged = PluginEnvironment.merge(
      base,
      undefined,
      { B: '2', C: '2' },
      new PluginEnvironment({ C: '3' }),
    )
    expect(merged.toObject()).toEqual({ A: '1', B: '2', C: '3' })
    expect(base.toObject()).toEqual({ A: '1', B: '1', C: '1' })
  })
})

describe('PluginEnvironment getters', () => {
  const env = new PluginEnvironment({
    S: 'text',
    N: 42,
    I: ' 17 ',
    I_NEG: '-3',
    I_UNDERSCORE: '1_000',
    F_STR: '3.5',
    F_EXP: '1e3',
    F_INF: '-inf',
    BAD_NUM: 'twelve',
    NULL: null,
    B_TRUE: 'True',
    B_ONE: '1',
    B_YES: 'YES',
    B_NO: 'no',
    B_ZERO: '0',
    B_FALSE: 'false',
    B_BOOL: false,
    B_NUM: 2,
    L_STR: ' a, b ,,c , ',
    L_EMPTY: ',, ,',
    L_ARR: [1, 'x'],
    L_NUM: 5,
  })

  it('getStr stringifies; null and missing give the fallback', () => {
    expect(env.getStr('S')).toBe('text')
    expect(env.getStr('N')).toBe('42')
    expect(env.getStr('NULL')).toBeUndefined()
    expect(env.getStr('NULL', 'fb')).toBe('fb')
    expect(env.getStr('MISSING', 'fb')).toBe('fb')
    expect(env.has('NULL')).toBe(false)
    expect(env.has('S')).toBe(true)
  })

  it('getInt parses integer strings and rejects fractions, naming the key but not the value', () => {
    expect(env.getInt('N')).toBe(42)
    expect(env.getInt('I')).toBe(17)
    expect(env.getInt('I_NEG')).toBe(-3)
    expect(env.getInt('I_UNDERSCORE')).toBe(1000)
    expect(env.getInt('MISSING', 7)).toBe(7)
    const error = thrown(() => env.getInt('F_STR'))
    expect(error.code).toBe('ENV_INVALID_VALUE')
    expect(error.message).toContain("'F_STR'")
    expect(error.message).not.toContain('3.5')
    expect(JSON.stringify(error)).not.toContain('3.5')
  })

  it('never echoes a secret value that fails to parse', () => {
    const secretive = new PluginEnvironment({ API_TOKEN: 'sk-live-abcdef' })
    const error = thrown(() => secretive.getInt('API_TOKEN'))
    expect(error.message).toContain('API_TOKEN')
    expect(JSON.stringify(error)).not.toContain('sk-live-abcdef')
    expect(error.stack).not.toContain('sk-live-abcdef')
  })

  it('getFloat parses decimals, exponents and infinities; rejects words', () => {
    expect(env.getFloat('F_STR')).toBe(3.5)
    expect(env.getFloat('F_EXP')).toBe(1000)
    expect(env.getFloat('F_INF')).toBe(-Infinity)
    expect(env.getFloat('N')).toBe(42)
    const error = thrown(() => env.getFloat('BAD_NUM'))
    expect(error.message).toContain("'BAD_NUM'")
    expect(error.message).not.toContain('twelve')
  })

  it('getBool: true/1/yes in any case are true, other strings false, non-strings by truthiness', () => {
    expect(env.getBool('B_TRUE')).toBe(true)
    expect(env.getBool('B_ONE')).toBe(true)
    expect(env.getBool('B_YES')).toBe(true)
    expect(env.getBool('B_NO')).toBe(false)
    expect(env.getBool('B_ZERO')).toBe(false)
    expect(env.getBool('B_FALSE')).toBe(false)
    expect(env.getBool('S')).toBe(false)
    expect(env.getBool('B_BOOL', true)).toBe(false)
    expect(env.getBool('B_NUM')).toBe(true)
    expect(env.getBool('MISSING', true)).toBe(true)
  })

  it('getList: comma split, trimmed, empties dropped; arrays kept; other types → fallback', () => {
    expect(env.getList('L_STR')).toEqual(['a', 'b', 'c'])
    expect(env.getList('L_EMPTY')).toEqual([])
    expect(env.getList('L_ARR')).toEqual(['1', 'x'])
    expect(env.getList('L_NUM', ['fb'])).toEqual(['fb'])
    expect(env.getList('MISSING')).toBeUndefined()
  })

  it('require* throw ENV_MISSING_KEY for missing and null keys, else return the value', () => {
    for (const read of [
      (k: string) => env.requireStr(k),
      (k: string) => env.requireInt(k),
      (k: string) => env.requireFloat(k),
      (k: string) => env.requireBool(k),
      (k: string) => env.requireList(k),
    ]) {
      for (const key of ['MISSING', 'NULL']) {
        const error = thrown(() => read(key))
        expect(error.code).toBe('ENV_MISSING_KEY')
        expect(error.details).toEqual({ key })
        expect(error.message).toContain(`'${key}'`)
      }
    }
    expect(env.requireStr('S')).toBe('text')
    expect(env.requireInt('I')).toBe(17)
    expect(env.requireFloat('F_STR')).toBe(3.5)
    expect(env.requireBool('B_FALSE')).toBe(false)
    expect(env.requireList('L_STR')).toEqual(['a', 'b', 'c'])
  })
})

describe('PluginEnvironment.secretValues and toEnvVars', () => {
  it('lists values under secret-looking keys, longest first, skipping short and non-string ones', () => {
    const env = new PluginEnvironment({
      ACCESS_TOKEN: 'tok-123456',
      db_password: 'hunter2hunter2',
      API_KEY: 'abc', // too short to mask safely
      SECRET_NUMBER: 123456,
      CREDENTIALS_FILE: '/run/creds.json',
      HOST: 'https://example.com',
    })
    expect(env.secretValues()).toEqual(['/run/creds.json', 'hunter2hunter2', 'tok-123456'])
  })

  it('toEnvVars gives strings only, JSON for objects, skipping nulls', () => {
    const env = new PluginEnvironment({ A: 'x', N: 3, B: true, O: { k: 1 }, Z: null })
    expect(env.toEnvVars()).toEqual({ A: 'x', N: '3', B: 'true', O: '{"k":1}' })
  })
})

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
