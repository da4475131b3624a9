// @synapse/templates — plugin templates as data, and the renderer, read as a table of contents.

// The templates: one per category, everything it generates stated once.
export {
  CATEGORY_TEMPLATES,
  type CategoryTemplate,
  NEURAL_NET_TASKS,
  type TemplateAction,
  type TemplateOption,
  type TemplateOptions,
  templateFor,
} from './category-templates'
// Rendering: answers → the files of a new plugin (nothing written).
export {
  checkPluginCode,
  codeFromName,
  PLUGIN_CODE_PATTERN,
  type PluginAnswers,
  pluginDirName,
  type RenderedPlugin,
  type RenderOptions,
  renderPlugin,
  resolveTemplateOptions,
  TEMPLATE_DEPENDENCIES,
} from './render-plugin'
// Errors: stable codes, all bad input.
export { TEMPLATE_ERROR_KINDS, TemplateError, type TemplateErrorCode } from './template-error'
export { templateFile } from './template-file'
export { UPLOAD_EXTENSIONS } from './upload-extensions'
