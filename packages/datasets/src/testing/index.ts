// @synapse/datasets/testing — what other packages' tests and benchmarks need to make datasets.
export { jpegStub, pngStub } from './image-stubs'
