import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invokeAction } from '../../action/invoke-action'
import { validateParams } from '../../action/validate'
import { createTestContext } from '../create-test-context'
import { conformanceChecks } from './conformance-checks'
import {
  CONFORMANCE_ACTIONS,
  type ConformanceFixture,
  createConformanceFixture,
} from './conformance-fixture'

// The checks themselves are proven against broken executors in executor-local's tests (core
// cannot import an executor); here: the list is well formed and the plugin it runs loads.
describe('conformanceChecks', () => {
  it('ids are unique and kebab-case, and every check has a title', () => {
    const ids = conformanceChecks.map((check) => check.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const check of conformanceChecks) {
      expect(check.id).toMatch(/^[a-z]+(-[a-z]+)*$/)
      expect(check.title.length).toBeGreaterThan(10)
    }
  })
})

describe('createConformanceFixture', () => {
  let fixture: ConformanceFixture
  beforeAll(async () => {
    fixture = await createConformanceFixture()
  })
  afterAll(() => fixture.remove())

  it('loads every action of the plugin, with a source another process can load it from', () => {
    for (const name of CONFORMANCE_ACTIONS) {
      expect(fixture.actions[name].name).toBe(name)
      expect(fixture.sourceOf(name)).toEqual({ pluginPath: fixture.plugin.dir, action: name })
    }
  })

  it("the plugin's actions do what the checks rely on", async () => {
    const t = createTestContext({ env: { CONFORMANCE_TAG: 'x' }, runId: 'fixture-1' })
    const echo = fixture.actions.echo
    expect(await invokeAction(echo, validateParams(echo, { text: 'hi' }), t.ctx)).toEqual({
      text: 'hi',
      tag: 'x',
      runId: 'fixture-1',
    })
    expect(t.events.map((e) => e.type)).toEqual(['progress', 'log', 'progress', 'metrics'])
    type Chain = Error & { cause: Error & { cause: Error } }
    const failure = (await invokeAction(fixture.actions.fail, {}, createTestContext().ctx).then(
      () => undefined,
      (error: unknown) => error,
    )) as Chain
    expect(failure.cause.name).toBe('QuotaError')
    expect(failure.cause.cause.message).toBe('disk full')
  })
})
