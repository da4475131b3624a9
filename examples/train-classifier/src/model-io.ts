import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { tf } from './tf'

/** What is stored next to the weights, so inference knows the input and the classes. */
export interface ClassifierInfo {
  classes: string[]
  width: number
  height: number
}

interface ModelJson extends ClassifierInfo {
  format: 'synapse-tfjs-classifier'
  modelTopology: unknown
  weightSpecs: unknown
}

/** Writes the model to `dir` as `model.json` (topology, weight specs, classes) and `weights.bin`. */
export async function saveClassifier(
  model: tf.LayersModel,
  info: ClassifierInfo,
  dir: string,
): Promise<void> {
  await mkdir(dir, { recursive: true })
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData
      const weights = Array.isArray(data)
        ? Buffer.concat(data.map((b) => Buffer.from(b)))
        : Buffer.from(data as ArrayBuffer)
      const json: ModelJson = {
        format: 'synapse-tfjs-classifier',
        ...info,
        modelTopology: artifacts.modelTopology,
        weightSpecs: artifacts.weightSpecs,
      }
      await writeFile(join(dir, 'model.json'), JSON.stringify(json))
      await writeFile(join(dir, 'weights.bin'), weights)
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    }),
  )
}

/** Reads a model written by {@link saveClassifier} from `dir`. */
export async function loadClassifier(
  dir: string,
): Promise<{ model: tf.LayersModel; info: ClassifierInfo }> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as ModelJson
  if (json.format !== 'synapse-tfjs-classifier') {
    throw new Error(`${join(dir, 'model.json')}: not a classifier saved by this plugin`)
  }
  const weights = await readFile(join(dir, 'weights.bin'))
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology as object,
      weightSpecs: json.weightSpecs as tf.io.WeightsManifestEntry[],
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  )
  return { model, info: { classes: json.classes, width: json.width, height: json.height } }
}

/** Class probabilities for each input row. */
export function predict(model: tf.LayersModel, inputs: Float32Array[], size: number): number[][] {
  return tf.tidy(() => {
    const x = tf.tensor2d(concat(inputs, size), [inputs.length, size])
    return (model.predict(x) as tf.Tensor).arraySync() as number[][]
  })
}

/** Rows side by side in one buffer, as a 2-D tensor wants them. */
export function concat(rows: Float32Array[], size: number): Float32Array {
  const out = new Float32Array(rows.length * size)
  for (const [i, row] of rows.entries()) out.set(row, i * size)
  return out
}
