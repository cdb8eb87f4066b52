import { buildSchema, getIntrospectionQuery, parse, specifiedRules, validate } from 'graphql';
import { queryLimitsRule } from './query-limits.js';

// A recursive schema: the gateway's own has no cycle deep enough to show the depth rule.
const schema = buildSchema(`
  type Span { id: ID! name: String! children: [Span!]! }
  type Query { span(id: ID!): Span }
`);

const errorsOf = (query: string, limits = { maxDepth: 8, maxFields: 500 }) =>
  validate(schema, parse(query), [...specifiedRules, queryLimitsRule(limits)]).map((error) => error.message);

/** `{ span(id: "1") { children { children { … id } } } }` with `depth` levels of fields in all. */
const nested = (depth: number) => `{ span(id: "1") { ${'children { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} } }`;

describe('query limits', () => {
  it('lets through an operation exactly at the depth limit', () => {
    expect(errorsOf(nested(8))).toEqual([]);
  });

  it('rejects one level deeper', () => {
    expect(errorsOf(nested(9))).toEqual(['The operation is 9 levels deep; the limit is 8']);
  });

  it('counts depth through fragments and inline fragments', () => {
    const query = `
      query Deep { span(id: "1") { ...Level } }
      fragment Level on Span { children { ... on Span { children { ...Leaf } } } }
      fragment Leaf on Span { children { id } }`;
    expect(errorsOf(query, { maxDepth: 4, maxFields: 500 })).toEqual(['Operation "Deep" is 5 levels deep; the limit is 4']);
    expect(errorsOf(query, { maxDepth: 5, maxFields: 500 })).toEqual([]);
  });

  it('counts fields, fragments counted wherever they are spread', () => {
    const query = `{ a: span(id: "1") { ...Both } b: span(id: "2") { ...Both } }
      fragment Both on Span { id name }`;
    // 2 spans + 2 × 2 fields
    expect(errorsOf(query, { maxDepth: 8, maxFields: 6 })).toEqual([]);
    expect(errorsOf(query, { maxDepth: 8, maxFields: 5 })).toEqual(['The operation selects 6 fields; the limit is 5']);
  });

  it('stops a document small in bytes that explodes once fragments are expanded', () => {
    const levels = Array.from({ length: 12 }, (_, i) => `fragment F${i} on Span { children { ...F${i + 1} } c: children { ...F${i + 1} } }`);
    const query = `{ span(id: "1") { ...F0 } } ${levels.join('\n')} fragment F12 on Span { id }`;
    const [error] = errorsOf(query, { maxDepth: 100, maxFields: 500 });
    // F12 = 1, Fi = 2 × (1 + Fi+1), so F0 = 12286, plus span
    expect(error).toBe('The operation selects 12287 fields; the limit is 500');
  });

  it('lets the standard introspection query through the depth limit but not past the field limit', () => {
    expect(errorsOf(getIntrospectionQuery())).toEqual([]);
    expect(errorsOf(getIntrospectionQuery(), { maxDepth: 8, maxFields: 20 })).toEqual([expect.stringMatching(/^Operation "IntrospectionQuery" selects \d+ fields; the limit is 20$/)]);
  });
});
