import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export interface QueryLimits {
  /** Nesting of fields, the operation's own fields being depth 1. */
  readonly maxDepth: number;
  /** Fields selected, fragments expanded where they are spread. */
  readonly maxFields: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 8, maxFields: 500 };

interface Measure {
  readonly depth: number;
  readonly fields: number;
}

/**
 * Depth and field count of one operation. Introspection (`__schema`, `__type`) counts as one
 * level, as in graphql-depth-limit: its standard query is 14 deep but cannot recurse into the
 * API; its fields still count towards the field limit.
 */
export function measureOperation(operation: OperationDefinitionNode, fragment: (name: string) => FragmentDefinitionNode | null | undefined): Measure {
  const fragmentMeasures = new Map<string, Measure>();
  const expanding = new Set<string>();

  const measureSet = (selectionSet: SelectionSetNode, depthCounts: boolean): Measure => {
    let depth = 0;
    let fields = 0;
    for (const selection of selectionSet.selections) {
      let inner: Measure;
      switch (selection.kind) {
        case Kind.FIELD: {
          const introspection = selection.name.value === '__schema' || selection.name.value === '__type';
          const below = selection.selectionSet ? measureSet(selection.selectionSet, depthCounts && !introspection) : { depth: 0, fields: 0 };
          inner = { depth: 1 + (depthCounts ? below.depth : 0), fields: 1 + below.fields };
          break;
        }
        case Kind.INLINE_FRAGMENT:
          inner = measureSet(selection.selectionSet, depthCounts);
          break;
        case Kind.FRAGMENT_SPREAD:
          inner = measureFragment(selection.name.value, depthCounts);
          break;
        default: {
          const unknown: never = selection;
          throw new Error(`unknown selection ${JSON.stringify(unknown)}`);
        }
      }
      depth = Math.max(depth, inner.depth);
      fields += inner.fields;
    }
    return { depth, fields };
  };

  // Memoised, so a fragment spread many times is measured once and a fan-out of spreads
  // (a document tiny in bytes, huge once expanded) is counted without being expanded.
  const measureFragment = (name: string, depthCounts: boolean): Measure => {
    const key = `${name}:${depthCounts}`;
    const known = fragmentMeasures.get(key);
    if (known) return known;
    const definition = fragment(name);
    if (!definition || expanding.has(key)) return { depth: 0, fields: 0 }; // unknown or cyclic: other rules report it
    expanding.add(key);
    const measure = measureSet(definition.selectionSet, depthCounts);
    expanding.delete(key);
    fragmentMeasures.set(key, measure);
    return measure;
  };

  return measureSet(operation.selectionSet, true);
}

/** A validation rule rejecting operations nested deeper than `maxDepth` or selecting more than `maxFields` fields. */
export function queryLimitsRule(limits: QueryLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const { depth, fields } = measureOperation(operation, (name) => context.getFragment(name));
      const name = operation.name ? `Operation "${operation.name.value}"` : 'The operation';
      if (depth > limits.maxDepth) {
        context.reportError(new GraphQLError(`${name} is ${depth} levels deep; the limit is ${limits.maxDepth}`, { nodes: operation, extensions: { limit: 'depth' } }));
      }
      if (fields > limits.maxFields) {
        context.reportError(new GraphQLError(`${name} selects ${fields} fields; the limit is ${limits.maxFields}`, { nodes: operation, extensions: { limit: 'fields' } }));
      }
    },
  });
}
