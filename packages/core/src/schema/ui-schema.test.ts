import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { toJsonSchema } from './json-schema'
import { toUiSchema } from './ui-schema'

describe('toUiSchema: the spec mapping', () => {
  it('maps number, text and checkbox fields with label, default, help and required', () => {
    const form = toUiSchema(
      z.object({
        learning_rate: z.number().min(0.000001).max(1).default(0.001).describe('Step size'),
        model_name: z.string(),
        augment: z.boolean().default(false),
      }),
    )
    expect(form).toEqual([
      {
        $formkit: 'number',
        name: 'learning_rate',
        label: 'Learning Rate',
        required: false,
        value: 0.001,
        placeholder: 0.001,
        help: 'Step size',
        min: 0.000001,
        max: 1,
        number: true,
        validation: 'min:0.000001|max:1',
      },
      {
        $formkit: 'text',
        name: 'model_name',
        label: 'Model Name',
        required: true,
        validation: 'required',
      },
      {
        $formkit: 'checkbox',
        name: 'augment',
        label: 'Augment',
        required: false,
        value: false,
        placeholder: false,
      },
    ])
  })

  it('keeps declaration order and labels camelCase names by word', () => {
    const form = toUiSchema(
      z.object({ zeta: z.string(), batchSize: z.number(), alpha: z.string() }),
    )
    expect(form.map((n) => n.name)).toEqual(['zeta', 'batchSize', 'alpha'])
    expect(form[1]?.label).toBe('Batch Size')
  })

  it('integers: FormKit integer numbers; exclusive bounds become the next integer in', () => {
    const [epochs] = toUiSchema(z.object({ epochs: z.number().int().gt(0).lt(1001).multipleOf(5) }))
    expect(epochs).toMatchObject({
      $formkit: 'number',
      number: 'integer',
      min: 1,
      max: 1000,
      step: 5,
    })
    expect(epochs?.validation).toBe('required|min:1|max:1000')
  })

  it('an exclusive bound of a real number is shown as the bound', () => {
    const [rate] = toUiSchema(z.object({ rate: z.number().gt(0) }))
    expect(rate?.min).toBe(0)
  })

  it('unwraps optional and nullable to the first type that is not null', () => {
    const form = toUiSchema(
      z.object({ seed: z.number().int().nullable().optional(), note: z.string().nullish() }),
    )
    expect(form.map((n) => [n.$formkit, n.required])).toEqual([
      ['number', false],
      ['text', false],
    ])
  })

  it('enums and literals become selects with their options; default carried', () => {
    const [optimizer, mode] = toUiSchema(
      z.object({ optimizer: z.enum(['sgd', 'adam']).default('adam'), mode: z.literal('fast') }),
    )
    expect(optimizer).toMatchObject({
      $formkit: 'select',
      value: 'adam',
      options: [
        { label: 'sgd', value: 'sgd' },
        { label: 'adam', value: 'adam' },
      ],
    })
    expect(mode?.options).toEqual([{ label: 'fast', value: 'fast' }])
  })

  it('nested objects become groups; arrays lists of their item, or a checkbox group of an enum', () => {
    const [augment, tags, splits, boxes] = toUiSchema(
      z.object({
        augment: z.object({ flip: z.boolean(), scale: z.number().optional() }),
        tags: z.array(z.string().min(1)),
        splits: z.array(z.enum(['train', 'val', 'test'])),
        boxes: z.array(z.object({ x: z.number() })),
      }),
    )
    expect(augment?.$formkit).toBe('group')
    expect(augment?.children?.map((c) => [c.name, c.$formkit, c.required])).toEqual([
      ['flip', 'checkbox', true],
      ['scale', 'number', false],
    ])
    expect(tags).toMatchObject({ $formkit: 'list', children: [{ $formkit: 'text', name: 'item' }] })
    expect(tags?.children?.[0]?.validation).toBe('required|length:1')
    expect(splits).toMatchObject({ $formkit: 'checkbox', options: [{ value: 'train' }, {}, {}] })
    expect(boxes?.children?.map((c) => c.name)).toEqual(['x'])
  })

  it('string formats pick the matching input; length and pattern become validation rules', () => {
    const [email, site, at, code] = toUiSchema(
      z.object({
        email: z.email(),
        site: z.url(),
        at: z.iso.datetime(),
        code: z
          .string()
          .min(2)
          .max(8)
          .regex(/^[a-z]+$/),
      }),
    )
    expect([email?.$formkit, site?.$formkit, at?.$formkit]).toEqual([
      'email',
      'url',
      'datetime-local',
    ])
    expect(code?.validation).toBe('required|length:2,8|matches:/^[a-z]+$/')
  })

  it("the author's metadata overrides what was derived", () => {
    const [prompt, size] = toUiSchema(
      z.object({
        prompt: z
          .string()
          .meta({ formkit: 'textarea', label: 'Prompt text', help: 'Shown to the model' }),
        size: z.number().meta({ options: [{ label: 'Small', value: 320 }], formkit: 'radio' }),
      }),
    )
    expect(prompt).toMatchObject({
      $formkit: 'textarea',
      label: 'Prompt text',
      help: 'Shown to the model',
    })
    expect(size).toMatchObject({ $formkit: 'radio', options: [{ label: 'Small', value: 320 }] })
  })

  it('exclude_from_ui leaves a field, or a whole schema, out of the form', () => {
    const form = toUiSchema(
      z.object({ shown: z.string(), hidden: z.string().meta({ exclude_from_ui: true }) }),
    )
    expect(form.map((n) => n.name)).toEqual(['shown'])
    expect(toUiSchema(z.object({ a: z.string() }).meta({ exclude_from_ui: true }))).toEqual([])
  })

  it('a type JSON Schema cannot state (a Date) falls back to text instead of failing', () => {
    const [when] = toUiSchema(z.object({ when: z.date() }))
    expect(when).toMatchObject({ $formkit: 'text', name: 'when', required: true })
  })
})

describe('toJsonSchema', () => {
  it('input side: a field with a default is optional; output side: it is required', () => {
    const schema = z.object({ epochs: z.number().int().default(10), name: z.string() })
    expect(toJsonSchema(schema)['required']).toEqual(['name'])
    expect(toJsonSchema(schema, 'output')['required']).toEqual(['epochs', 'name'])
  })

  it("uses the schema's own method, so a plugin's own copy of zod describes its schemas", () => {
    const schema = z.object({ a: z.string() })
    const seen: unknown[] = []
    const foreign = Object.assign(Object.create(schema), {
      toJSONSchema(options: unknown) {
        seen.push(options)
        return { type: 'object', properties: {} }
      },
    })
    expect(toJsonSchema(foreign)).toEqual({ type: 'object', properties: {} })
    expect(seen).toEqual([{ io: 'input', unrepresentable: 'any' }])
  })
})

describe('toUiSchema: what zod implies', () => {
  it("an integer without bounds shows none (zod's safe-integer range is not the author's)", () => {
    const [count] = toUiSchema(z.object({ count: z.number().int().min(0) }))
    expect(count).toMatchObject({ min: 0, validation: 'required|min:0' })
    expect(count?.max).toBeUndefined()
  })
})
