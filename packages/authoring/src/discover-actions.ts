import {
  type AnyActionDefinition,
  importPluginModule,
  isActionClass,
  isActionDefinition,
  PluginError,
  resolveAction,
} from '@synapse/core'
import type { z } from 'zod'
import {
  type DiscoveredAction,
  discoverActionsStatically,
  type SourceProblem,
} from './static-discovery'

/** A discovered action, with what importing its module told about it. */
export interface ResolvedAction extends DiscoveredAction {
  /** Whether the module was imported; when not, only what the source states literally is known. */
  imported: boolean
  params?: z.ZodType
  result?: z.ZodType
}

/** The actions of a plugin, and what got in the way of finding them. */
export interface ActionDiscovery {
  actions: ResolvedAction[]
  /** Syntax errors, name clashes and modules that failed to import, each where it happened. */
  problems: SourceProblem[]
}

/**
 * Discovers a plugin's actions from its sources, then imports each module that has one to learn
 * what only the code knows (schemas, types given as objects, names set in code). A module that
 * fails to import keeps its actions as the source states them and is reported, so a broken
 * import never hides an action. A statically found export that turns out not to be an action
 * (a helper class extending some `Base…`) is dropped.
 */
export async function discoverActions(root: string): Promise<ActionDiscovery> {
  const found = discoverActionsStatically(root)
  const problems = [...found.problems]
  const byFile = Map.groupBy(found.actions, (a) => a.file)
  const actions: ResolvedAction[] = []
  for (const [file, inFile] of byFile) {
    let module: Record<string, unknown>
    try {
      module = await importPluginModule(file)
    } catch (error) {
      const first = inFile[0]!
      problems.push({
        file,
        line: first.line,
        column: first.column,
        message: `could not import (${inFile.map((a) => a.name).join(', ')} known from the source only): ${PluginError.is(error) ? error.message : String(error)}`,
      })
      actions.push(...inFile.map((a) => ({ ...a, imported: false })))
      continue
    }
    for (const action of inFile) {
      const value = module[action.exportName]
      if (!isActionDefinition(value) && !isActionClass(value)) continue
      actions.push(fromCode(action, resolveAction(value)))
    }
  }
  return { actions, problems }
}

function fromCode(action: DiscoveredAction, definition: AnyActionDefinition): ResolvedAction {
  const resolved: ResolvedAction = { ...action, imported: true, params: definition.params }
  // What the code states wins over what the source showed; a name set in code is the key.
  if (definition.name) resolved.name = definition.name
  if (definition.method !== undefined) resolved.method = definition.method
  if (definition.description) resolved.description = definition.description
  if (definition.inputType !== undefined) resolved.inputType = definition.inputType
  if (definition.outputType !== undefined) resolved.outputType = definition.outputType
  if (definition.result !== undefined) resolved.result = definition.result
  return resolved
}
