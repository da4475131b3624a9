import { median } from './bench-result'

/**
 * Times several sides of one benchmark the same way: each side once to warm the JIT (round 0),
 * then `rounds` rounds (1…rounds) with the sides taking turns, so drift in machine load hits
 * them alike. Each side returns the milliseconds its round took; the result is each side's
 * median and every measured round.
 *
 * @example
 * const ms = await interleavedMedians(9, { floor: floorRound, value: executorRound })
 * const ratio = ms.floor.median / ms.value.median
 */
export async function interleavedMedians<K extends string>(
  rounds: number,
  sides: Record<K, (round: number) => number | Promise<number>>,
): Promise<Record<K, { median: number; times: number[] }>> {
  const names = Object.keys(sides) as K[]
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
    K,
    number[]
  >
  for (const name of names) await sides[name](0)
  for (let round = 1; round <= rounds; round++) {
    for (const name of names) times[name].push(await sides[name](round))
  }
  return Object.fromEntries(
    names.map((name) => [name, { median: median(times[name]), times: times[name] }]),
  ) as Record<K, { median: number; times: number[] }>
}
