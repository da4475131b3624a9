import assert from 'node:assert/strict'
import { PluginError } from '../../errors/plugin-error'
import type { RunEvent } from '../../logging/run-event'

// The checks assert with node:assert, not vitest's expect, so runConformanceCheck works under
// any test runner (or none): a failed check is a thrown AssertionError with a message.

export { assert }

/** What a rejection must be: its `code`, and optionally its class. */
export interface ExpectedError {
  code: string
  instance?: abstract new (...args: never[]) => Error
}

/** Awaits `promise`, which must reject with a PluginError as `expected`; returns the error. */
export async function rejects(
  promise: Promise<unknown>,
  expected: ExpectedError,
  what: string,
): Promise<PluginError> {
  let outcome: unknown
  try {
    outcome = await promise
  } catch (error) {
    // A bound that ran out (see `within`) already says what went wrong.
    if (error instanceof assert.AssertionError) throw error
    assert.ok(PluginError.is(error), `${what}: rejected with a non-PluginError: ${String(error)}`)
    assert.equal(error.code, expected.code, `${what}: rejected with code ${error.code}`)
    if (expected.instance !== undefined) {
      assert.ok(
        error instanceof expected.instance,
        `${what}: rejected with ${error.name}, not ${expected.instance.name}`,
      )
    }
    return error
  }
  assert.fail(`${what}: expected a rejection with ${expected.code}, got ${describe(outcome)}`)
}

/** Every event of an iterable, failing if it takes longer than `timeoutMs`. */
export async function collect(
  iterable: AsyncIterable<RunEvent>,
  what: string,
  timeoutMs = 5000,
): Promise<RunEvent[]> {
  const events: RunEvent[] = []
  await within(
    (async () => {
      for await (const event of iterable) events.push(event)
    })(),
    timeoutMs,
    what,
  )
  return events
}

/** `promise`, or a failure naming `what` once `ms` pass. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new assert.AssertionError({ message: `${what}: no answer in ${ms} ms` })),
          ms,
        )
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** An event as one word: the status for status events, else the type. */
export function label(event: RunEvent): string {
  return event.type === 'status' ? event.status : event.type
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
