import {
  AnnotationCategory,
  AnnotationType,
  DataKind,
  enumValues,
  PluginCategory,
  type RunMethod,
  SmartToolType,
} from '@synapse/core'
import { TemplateError } from './template-error'
import { templateFile } from './template-file'
import { UPLOAD_EXTENSIONS } from './upload-extensions'

/** The category options chosen for a plugin, by config.yaml key. */
export type TemplateOptions = Readonly<Record<string, string | readonly string[]>>

/**
 * A question a category asks when a plugin is created; the answer is written to config.yaml
 * under `key`, which is a key core's `PluginConfigSchema` reads (a test holds every template to
 * that, so no answer is dropped silently).
 */
export interface TemplateOption {
  key: string
  prompt: string
  /** One answer, or several (a list in config.yaml). */
  multiple: boolean
  /** What may be answered, given the answers to the options before it. */
  choices(previous: TemplateOptions): readonly string[]
  /** The answer when none is given: the first choice unless said otherwise. */
  default?(previous: TemplateOptions): string | readonly string[]
}

/** One action a template generates. */
export interface TemplateAction {
  /** Its config.yaml key, as the code names it. */
  name: string
  /** Its file in the plugin, `/`-separated. */
  file: string
  exportName: string
  method: RunMethod
  description: string
  inputType?: string
  outputType?: string
  source(options: TemplateOptions): string
}

/** Everything one category's template contains. */
export interface CategoryTemplate {
  category: PluginCategory
  /** One line for the plugin's README. */
  summary: string
  /** The SDK packages the plugin imports. */
  sdk: readonly ('@synapse/core' | '@synapse/actions')[]
  options: readonly TemplateOption[]
  actions: readonly TemplateAction[]
  /** The action `synapse plugin run` is shown with first (the spec's primary action). */
  main: string
  /** Params of the README's example run of the main action. */
  exampleParams: Record<string, unknown>
  /** The plugin's own tests: their paths in the plugin, read from `files/<category>/`. */
  tests: readonly string[]
}

/** Tasks a neural_net plugin can declare, per data type; config.yaml holds `type.task`. */
export const NEURAL_NET_TASKS: Readonly<Record<DataKind, readonly string[]>> = {
  image: ['object_detection', 'classification', 'segmentation', 'keypoint'],
  text: ['classification', 'ner', 'qa'],
  video: ['object_tracking', 'action_recognition', 'segmentation'],
  audio: ['classification', 'transcription'],
  pcd: ['object_detection', 'segmentation'],
}

const dataTypes = () => enumValues(DataKind)
const one = (value: string | readonly string[] | undefined) =>
  typeof value === 'string' ? value : value?.[0]

/**
 * The templates, one per category, as data: the plugin files are derived from these entries by
 * `renderPlugin`, and nothing about a category is said anywhere else.
 */
export const CATEGORY_TEMPLATES: Readonly<Record<PluginCategory, CategoryTemplate>> = {
  neural_net: {
    category: PluginCategory.NEURAL_NET,
    summary: 'trains a model (BaseTrainAction) and predicts with it (BaseInferenceAction)',
    sdk: ['@synapse/core', '@synapse/actions'],
    options: [
      { key: 'data_type', prompt: 'Data type', multiple: false, choices: dataTypes },
      {
        key: 'tasks',
        prompt: 'Tasks',
        multiple: true,
        choices: (previous) =>
          (NEURAL_NET_TASKS[(one(previous['data_type']) ?? 'image') as DataKind] ?? []).map(
            (task) => `${one(previous['data_type']) ?? 'image'}.${task}`,
          ),
        default: (previous) => [
          `${one(previous['data_type']) ?? 'image'}.${NEURAL_NET_TASKS[(one(previous['data_type']) ?? 'image') as DataKind]?.[0]}`,
        ],
      },
    ],
    actions: [
      {
        name: 'train',
        file: 'src/train.ts',
        exportName: 'TrainAction',
        method: 'job',
        description: 'Train a model and store it in the workspace',
        outputType: 'model_weights',
        source: () => templateFile('neural_net/src/train.ts'),
      },
      {
        name: 'inference',
        file: 'src/inference.ts',
        exportName: 'InferenceAction',
        method: 'task',
        description: 'Predict with a stored model',
        inputType: 'model_weights',
        source: () => templateFile('neural_net/src/inference.ts'),
      },
    ],
    main: 'train',
    exampleParams: { epochs: 20 },
    tests: ['test/train.test.ts'],
  },
  export: {
    category: PluginCategory.EXPORT,
    summary: 'exports records as JSON files (BaseExportAction)',
    sdk: ['@synapse/core', '@synapse/actions'],
    options: [],
    actions: [
      {
        name: 'export',
        file: 'src/export.ts',
        exportName: 'ExportAction',
        method: 'job',
        description: 'Export records as one JSON file each',
        source: () => templateFile('export/src/export.ts'),
      },
    ],
    main: 'export',
    exampleParams: {
      name: 'demo',
      path: 'exports/demo',
      records: [
        { id: 'a', label: 'Cat' },
        { id: 'b', label: 'Dog' },
      ],
    },
    tests: ['test/export.test.ts'],
  },
  upload: {
    category: PluginCategory.UPLOAD,
    summary: 'uploads files of the supported data types (BaseUploadAction)',
    sdk: ['@synapse/core', '@synapse/actions'],
    options: [
      {
        key: 'supported_data_type',
        prompt: 'Supported data types',
        multiple: true,
        choices: () => Object.keys(UPLOAD_EXTENSIONS),
      },
    ],
    actions: [
      {
        name: 'upload',
        file: 'src/upload.ts',
        exportName: 'UploadAction',
        method: 'job',
        description: 'Upload files of the supported data types',
        source: (options) => {
          const types = list(options['supported_data_type'], ['image'])
          return templateFile('upload/src/upload.ts', {
            supportedDataTypes: JSON.stringify(types),
            allowedExtensions: JSON.stringify(types.flatMap((t) => UPLOAD_EXTENSIONS[t] ?? [])),
          })
        },
      },
    ],
    main: 'upload',
    exampleParams: { name: 'demo', path: 'data' },
    tests: ['test/upload.test.ts'],
  },
  smart_tool: {
    category: PluginCategory.SMART_TOOL,
    summary: 'suggests an annotation from the points an annotator clicked (BaseAutoLabelAction)',
    sdk: ['@synapse/core', '@synapse/actions'],
    options: [
      {
        key: 'annotation_category',
        prompt: 'Annotation category',
        multiple: false,
        choices: () => enumValues(AnnotationCategory),
      },
      {
        key: 'annotation_type',
        prompt: 'Annotation type',
        multiple: false,
        choices: () => enumValues(AnnotationType),
      },
      {
        key: 'smart_tool',
        prompt: 'Tool type',
        multiple: false,
        choices: () => enumValues(SmartToolType),
      },
    ],
    actions: [
      {
        name: 'auto_label',
        file: 'src/auto-label.ts',
        exportName: 'AutoLabelAction',
        method: 'task',
        description: 'Suggest an annotation from the points an annotator clicked',
        source: (options) =>
          templateFile('smart_tool/src/auto-label.ts', {
            annotationType: JSON.stringify(one(options['annotation_type']) ?? 'bbox'),
          }),
      },
    ],
    main: 'auto_label',
    exampleParams: {
      points: [
        { x: 10, y: 20 },
        { x: 40, y: 60 },
      ],
    },
    tests: ['test/auto-label.test.ts'],
  },
  pre_annotation: {
    category: PluginCategory.PRE_ANNOTATION,
    summary: 'suggests labels before items are annotated (BaseAction)',
    sdk: ['@synapse/core'],
    options: [],
    actions: [
      {
        name: 'pre_annotate',
        file: 'src/pre-annotate.ts',
        exportName: 'PreAnnotateAction',
        method: 'task',
        description: 'Suggest labels for items before they are annotated',
        source: () => templateFile('pre_annotation/src/pre-annotate.ts'),
      },
    ],
    main: 'pre_annotate',
    exampleParams: { items: [{ id: '1', text: 'a cat on a mat' }] },
    tests: ['test/pre-annotate.test.ts'],
  },
  post_annotation: {
    category: PluginCategory.POST_ANNOTATION,
    summary: 'normalises annotations and sends doubtful ones back for review (defineAction)',
    sdk: ['@synapse/core'],
    options: [],
    actions: [
      {
        name: 'post_annotate',
        file: 'src/post-annotate.ts',
        exportName: 'postAnnotate',
        method: 'task',
        description: 'Normalise annotations and send doubtful ones back for review',
        source: () => templateFile('post_annotation/src/post-annotate.ts'),
      },
    ],
    main: 'post_annotate',
    exampleParams: { annotations: [{ id: '1', label: ' Cat ', confidence: 0.9 }] },
    tests: ['test/post-annotate.test.ts'],
  },
  data_validation: {
    category: PluginCategory.DATA_VALIDATION,
    summary: 'checks that records have the required fields (defineAction)',
    sdk: ['@synapse/core'],
    options: [],
    actions: [
      {
        name: 'validate',
        file: 'src/validate.ts',
        exportName: 'validate',
        method: 'task',
        description: 'Check that every record has the required fields',
        source: () => templateFile('data_validation/src/validate.ts'),
      },
    ],
    main: 'validate',
    exampleParams: { records: [{ id: 1, label: 'cat' }, { id: 2 }] },
    tests: ['test/validate.test.ts'],
  },
  custom: {
    category: PluginCategory.CUSTOM,
    summary: 'one action to make your own (defineAction)',
    sdk: ['@synapse/core'],
    options: [],
    actions: [
      {
        name: 'main',
        file: 'src/main.ts',
        exportName: 'main',
        method: 'task',
        description: 'Greet someone',
        source: () => templateFile('custom/src/main.ts'),
      },
    ],
    main: 'main',
    exampleParams: { name: 'Ada' },
    tests: ['test/main.test.ts'],
  },
}

function list(value: string | readonly string[] | undefined, fallback: string[]): string[] {
  if (value === undefined) return fallback
  return typeof value === 'string' ? [value] : [...value]
}

/** The template of a category; an unknown one is a `TEMPLATE_NOT_FOUND` error listing them. */
export function templateFor(category: string): CategoryTemplate {
  if (Object.hasOwn(CATEGORY_TEMPLATES, category)) {
    return CATEGORY_TEMPLATES[category as PluginCategory]
  }
  throw new TemplateError(
    'TEMPLATE_NOT_FOUND',
    `No template for category '${category}'; the templates are: ${Object.keys(CATEGORY_TEMPLATES).join(', ')}`,
    { details: { category, available: Object.keys(CATEGORY_TEMPLATES) } },
  )
}
