import * as tf from '@tensorflow/tfjs'

// Production mode silences the console hint to install tfjs-node, which would otherwise land
// in the run's output.
tf.enableProdMode()

/**
 * Selects the pure-JavaScript CPU backend: no native binary to download, so it installs
 * anywhere. Called before any tensor is made.
 */
export async function useCpu(): Promise<void> {
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu')
}

export { tf }
