import type { z } from 'zod'
import { type JsonSchema, toJsonSchema } from './json-schema'

/** One option of a select, radio or checkbox group. */
export interface UiOption {
  label: string
  value: unknown
}

/**
 * One form input, in FormKit's schema format: what a UI renders to collect an action's params.
 * Groups (nested objects) and lists (arrays) carry their inputs in `children`.
 */
export interface UiSchemaNode {
  $formkit: string
  name: string
  label: string
  required: boolean
  value?: unknown
  placeholder?: unknown
  help?: string
  min?: number
  max?: number
  step?: number
  /** FormKit's `number` prop: the input gives back a number (an integer with `'integer'`). */
  number?: true | 'integer'
  options?: UiOption[]
  /** FormKit validation rules, such as `required|length:1,64`. */
  validation?: string
  children?: UiSchemaNode[]
}

// The mapping, stated once: which input each JSON Schema type becomes. A field's `formkit`
// metadata replaces the derived input; a type missing here falls back to `text`, as the spec's
// mapping does for anything it cannot place.
const INPUT_OF_TYPE: Record<string, string> = {
  integer: 'number',
  number: 'number',
  string: 'text',
  boolean: 'checkbox',
  object: 'group',
  array: 'list',
}
const INPUT_OF_FORMAT: Record<string, string> = {
  email: 'email',
  uri: 'url',
  url: 'url',
  date: 'date',
  time: 'time',
  'date-time': 'datetime-local',
}
/** Metadata keys copied from a field's `.meta({...})` over what the mapping derived. */
const OVERRIDES = [
  'options',
  'help',
  'required',
  'step',
  'min',
  'max',
  'label',
  'placeholder',
  'validation',
] as const
/** A field (or a whole schema) with this metadata set to true is left out of the form. */
export const EXCLUDE_FROM_UI = 'exclude_from_ui'

/**
 * The form for a zod object schema: one input per field, in declaration order, derived from
 * the schema's JSON Schema so both descriptions always agree. Defaults become `value`,
 * descriptions `help`, bounds `min`/`max`/`step`; enums become selects with their options,
 * nested objects groups, arrays lists (a checkbox group for an array of enum values). A field's
 * `.meta({ formkit, label, options, … })` overrides the derived keys, and
 * `.meta({ exclude_from_ui: true })` leaves it out.
 *
 * @example
 * toUiSchema(z.object({ learning_rate: z.number().min(0).default(0.001) }))
 * // [{ $formkit: 'number', name: 'learning_rate', label: 'Learning Rate', required: false,
 * //    value: 0.001, placeholder: 0.001, min: 0, number: true }]
 */
export function toUiSchema(schema: z.ZodType): UiSchemaNode[] {
  return objectInputs(toJsonSchema(schema, 'input'))
}

function objectInputs(schema: JsonSchema): UiSchemaNode[] {
  if (schema[EXCLUDE_FROM_UI] === true) return []
  const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>
  const required = new Set((schema['required'] ?? []) as string[])
  const nodes: UiSchemaNode[] = []
  for (const [name, property] of Object.entries(properties)) {
    if (property[EXCLUDE_FROM_UI] === true) continue
    nodes.push(inputFor(name, property, required.has(name)))
  }
  return nodes
}

function inputFor(name: string, property: JsonSchema, required: boolean): UiSchemaNode {
  const schema = unwrap(property)
  const type = typeOf(schema)
  const node: UiSchemaNode = {
    $formkit: INPUT_OF_TYPE[type ?? ''] ?? 'text',
    name,
    label: (property['title'] as string | undefined) ?? labelOf(name),
    required,
  }
  const fallback = property['default'] ?? schema['default']
  if (fallback !== undefined && fallback !== null) {
    node.value = fallback
    node.placeholder = fallback
  }
  const help = property['description'] ?? schema['description']
  if (typeof help === 'string') node.help = help

  const choices = choicesOf(schema)
  if (choices !== undefined) {
    node.$formkit = 'select'
    node.options = choices
  } else if (type === 'integer' || type === 'number') {
    Object.assign(node, boundsOf(schema, type === 'integer'))
    node.number = type === 'integer' ? 'integer' : true
  } else if (type === 'string') {
    const format = schema['format']
    if (typeof format === 'string' && INPUT_OF_FORMAT[format] !== undefined) {
      node.$formkit = INPUT_OF_FORMAT[format]
    }
  } else if (type === 'object') {
    node.children = objectInputs(schema)
  } else if (type === 'array') {
    const items = unwrap((schema['items'] ?? {}) as JsonSchema)
    const itemChoices = choicesOf(items)
    if (itemChoices !== undefined) {
      node.$formkit = 'checkbox'
      node.options = itemChoices
    } else {
      node.children =
        typeOf(items) === 'object' ? objectInputs(items) : [inputFor('item', items, true)]
    }
  }
  const validation = rulesOf(schema, type, required)
  if (validation !== '') node.validation = validation

  // Metadata the author wrote wins over everything derived.
  const formkit = property['formkit'] ?? schema['formkit']
  if (typeof formkit === 'string') node.$formkit = formkit
  for (const key of OVERRIDES) {
    const value = property[key] ?? schema[key]
    if (value !== undefined) (node as unknown as Record<string, unknown>)[key] = value
  }
  return node
}

/** `T | null` and `T.optional()` describe a T: the first type that is not null, as the spec. */
function unwrap(schema: JsonSchema): JsonSchema {
  const variants = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[] | undefined
  if (variants === undefined) return schema
  const first = variants.find((v) => v['type'] !== 'null')
  if (first === undefined) return schema
  // What the wrapper says about the field (its default, description, metadata) still holds.
  const { anyOf: _a, oneOf: _o, ...outer } = schema
  return { ...unwrap(first), ...outer }
}

function typeOf(schema: JsonSchema): string | undefined {
  const type = schema['type']
  if (Array.isArray(type)) return type.find((t) => t !== 'null') as string | undefined
  if (typeof type === 'string') return type
  if (schema['properties'] !== undefined) return 'object'
  return undefined
}

function choicesOf(schema: JsonSchema): UiOption[] | undefined {
  const values = Array.isArray(schema['enum'])
    ? (schema['enum'] as unknown[])
    : 'const' in schema
      ? [schema['const']]
      : undefined
  return values?.map((value) => ({ label: String(value), value }))
}

function boundsOf(schema: JsonSchema, integer: boolean): Partial<UiSchemaNode> {
  const bounds: Partial<UiSchemaNode> = {}
  // zod states every integer's safe range as bounds; a form shows only bounds the author set.
  const num = (key: string) =>
    typeof schema[key] === 'number' && Math.abs(schema[key] as number) !== Number.MAX_SAFE_INTEGER
      ? (schema[key] as number)
      : null
  // An exclusive bound of an integer is the next integer in. A real number has no such
  // neighbour: the form shows the bound itself, and the params' own validation at run time
  // rejects a value equal to it.
  const low = num('minimum') ?? num('exclusiveMinimum')
  if (low !== null) bounds.min = integer && num('minimum') === null ? low + 1 : low
  const high = num('maximum') ?? num('exclusiveMaximum')
  if (high !== null) bounds.max = integer && num('maximum') === null ? high - 1 : high
  const step = num('multipleOf')
  if (step !== null) bounds.step = step
  return bounds
}

function rulesOf(schema: JsonSchema, type: string | undefined, required: boolean): string {
  const rules: string[] = required ? ['required'] : []
  const num = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : null)
  if (type === 'integer' || type === 'number') {
    const { min, max } = boundsOf(schema, type === 'integer')
    if (min !== undefined) rules.push(`min:${min}`)
    if (max !== undefined) rules.push(`max:${max}`)
  } else if (type === 'string') {
    const low = num('minLength')
    const high = num('maxLength')
    if (low !== null || high !== null)
      rules.push(`length:${low ?? 0}${high !== null ? `,${high}` : ''}`)
    if (typeof schema['pattern'] === 'string') rules.push(`matches:/${schema['pattern']}/`)
  }
  return rules.join('|')
}

/** `learning_rate` and `learningRate` both read "Learning Rate". */
function labelOf(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[_\s-]+/)
    .filter((word) => word !== '')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ')
}
