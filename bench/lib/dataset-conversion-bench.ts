import { join } from 'node:path'
import { type ConvertOptions, type ConvertResult, convert } from '@synapse/datasets'
import { writeBenchResult } from './bench-result'
import { scratch, snapshot, summarize, timeBoth, writeFloor } from './dataset-bench'

export interface ConversionBench {
  /** Short name: results go to `bench/results/dataset-<name>.json`. */
  name: string
  metric: string
  workload: string
  sha256: string
  /** The conversion, without `output`. */
  options: Omit<ConvertOptions, 'output'>
  /** The floor's unavoidable reading: the input files read and scanned (or parsed). */
  readFloor: () => Promise<void> | void
  /** Figures worth keeping next to the result, from the first (untimed) conversion. */
  extra?: (first: ConvertResult) => Record<string, unknown>
}

/**
 * One W1 conversion benchmark: convert once (untimed) to learn the output files, then time the
 * conversion against its floor (the input read + the same output bytes written), interleaved, on
 * disk and on tmpfs, and write `bench/results/dataset-<name>.json`.
 */
export async function runConversionBench(bench: ConversionBench): Promise<void> {
  const dir = scratch(bench.name)
  const first = await convert({ ...bench.options, output: join(dir, 'first') })
  const files = snapshot(join(dir, 'first'))
  const { disk, tmpfs } = await timeBoth(
    bench.name,
    9,
    async (dest) => {
      await bench.readFloor()
      await writeFloor(files, dest)
    },
    async (dest) => {
      await convert({ ...bench.options, output: dest })
    },
  )
  writeBenchResult({
    name: `dataset-${bench.name}`,
    metric: bench.metric,
    unit: 'ms',
    ...summarize(disk),
    extra: {
      runs: disk,
      tmpfs: tmpfs && { ...summarize(tmpfs), runs: tmpfs },
      workload: bench.workload,
      sha256: bench.sha256,
      outputFiles: files.length,
      outputBytes: first.report.written.bytes,
      annotationsRead: first.report.read.annotations,
      annotationsWritten: first.report.written.annotations,
      ...bench.extra?.(first),
    },
  })
}
