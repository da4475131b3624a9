import { z } from 'zod'
import {
  AnnotationCategory,
  AnnotationType,
  DataKind,
  enumValues,
  PackageManager,
  PluginCategory,
  RunMethod,
  SmartToolType,
} from '../enums'

/** `module/path:Export` (preferred) or `module.path.Export`. */
export const ENTRYPOINT_PATTERN =
  /^(?:[\w@./-]+:[A-Za-z_$][\w$]*|[\w-]+(?:\.[\w-]+)*\.[A-Za-z_$][\w$]*)$/

/** One action as config.yaml declares it. */
export const ActionConfigSchema = z.object({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  entrypoint: z
    .string()
    .regex(ENTRYPOINT_PATTERN, 'must be `module/path:Export` or `module.path.Export`')
    .optional(),
  method: z.enum(enumValues(RunMethod)).optional(),
  /** An export holding the params schema (`module:Export`), overriding the action's own. */
  params_schema: z.string().regex(ENTRYPOINT_PATTERN).optional(),
  result_schema: z.string().regex(ENTRYPOINT_PATTERN).optional(),
  input_type: z.string().optional(),
  output_type: z.string().optional(),
  hyperparameters: z.record(z.string(), z.unknown()).optional(),
  ui_schema: z.unknown().optional(),
})
/** One entry under `actions:` in config.yaml. */
export type ActionConfig = z.infer<typeof ActionConfigSchema>

/**
 * A plugin's config.yaml. Unknown keys are ignored, as the platform adds its own. Rules across
 * fields (a neural_net plugin needs `data_type`) and data type names are checked by
 * `parsePluginConfig`, with the schema's issues, against the type registry in use.
 */
export const PluginConfigSchema = z.object({
  name: z.string().min(1),
  code: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]*[a-z0-9]$|^[a-z0-9]$/,
      'must be lowercase letters, digits and dashes',
    ),
  version: z.string().default('0.1.0'),
  category: z.enum(enumValues(PluginCategory)).default('custom'),
  description: z.string().optional(),
  readme: z.string().default('README.md'),
  package_manager: z.enum(enumValues(PackageManager)).optional(),
  package_manager_options: z.array(z.string()).optional(),
  wheels_dir: z.string().default('wheels'),
  env: z.record(z.string(), z.unknown()).optional(),
  runtime_env: z.record(z.string(), z.unknown()).optional(),
  data_type: z.enum(enumValues(DataKind)).optional(),
  tasks: z.array(z.string()).optional(),
  supported_data_type: z.union([z.string(), z.array(z.string())]).optional(),
  annotation_category: z.enum(enumValues(AnnotationCategory)).optional(),
  annotation_type: z.enum(enumValues(AnnotationType)).optional(),
  smart_tool: z.enum(enumValues(SmartToolType)).optional(),
  // A bare string is the legacy form of `{ entrypoint }`; an empty entry is `{}`.
  actions: z
    .record(
      z.string(),
      z.preprocess(
        (v) => (typeof v === 'string' ? { entrypoint: v } : (v ?? {})),
        ActionConfigSchema,
      ),
    )
    .default({}),
})
/** A whole config.yaml, validated. */
export type PluginConfig = z.infer<typeof PluginConfigSchema>
