import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * One benchmark figure. `floor` is the unavoidable cost of the same work, measured in the same
 * run on the same machine; `ratio` compares them so figures from different machines compare.
 */
export interface BenchResult {
  name: string
  metric: string
  value: number
  unit: string
  floor: number
  ratio: number
  /** Anything else worth keeping next to the figure (sizes, peak RSS, iterations). */
  extra?: Record<string, unknown>
}

const resultsDir = join(import.meta.dirname, '..', 'results')

/** Writes `bench/results/<name>.json` and prints it. */
export function writeBenchResult(result: BenchResult): void {
  mkdirSync(resultsDir, { recursive: true })
  const text = `${JSON.stringify(result, null, 2)}\n`
  writeFileSync(join(resultsDir, `${result.name}.json`), text)
  process.stdout.write(text)
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
