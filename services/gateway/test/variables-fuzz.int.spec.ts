// Bad input in GraphQL variables: for every query and mutation of the schema (read from
// schema.graphql, so a new operation is fuzzed without touching this file), arbitrary JSON and
// near-valid values for each variable. The real gateway on the real NATS answers each with a
// GraphQL response — data, or errors whose extensions.code is one of the documented codes —
// never a 5xx, never an INTERNAL_SERVER_ERROR, never an unhandled rejection. The services behind
// it are one fake at our own port: every query and command subject answers NOT_FOUND.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLScalarType,
  isLeafType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { subjects } from '@agentledger/jetstream';
import { startService, type RunningService } from '@agentledger/service-kit';
import { createTestBus, type TestBus } from '@agentledger/testing';
import type { Subscription } from '@nats-io/transport-node';
import { gatewayService } from '../src/gateway.service.js';

const RUNS = 200;
const KEYS = { admin: 'fuzz-admin-4c1e9a', viewer: 'fuzz-viewer-77d20b' };
const DOCUMENTED_CODES = ['BAD_REQUEST', 'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'SERVICE_UNAVAILABLE', 'GRAPHQL_VALIDATION_FAILED'];
const schema = buildSchema(readFileSync(fileURLToPath(new URL('../schema.graphql', import.meta.url)), 'utf8'));

interface Operation {
  readonly name: string;
  readonly document: string;
  readonly variables: fc.Arbitrary<Record<string, unknown>>;
}

const nastyString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '__proto__', 'constructor', '-1', '1e400', 'x'.repeat(5000), '💸', 'a.b.c', '*', '>'),
);
const decimalLike = fc.oneof(
  fc.constantFrom('0', '-0', '1', '-1', '0.045', '1e3', '.5', '5.', '+1', 'NaN', 'Infinity', '9'.repeat(80), `0.${'0'.repeat(60)}1`, '1'.repeat(40), ' 1 ', '0x10'),
  fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.nat({ max: 30 })).map(([n, scale]) => {
    const digits = (n < 0n ? -n : n).toString().padStart(scale + 1, '0');
    return `${n < 0n ? '-' : ''}${scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`}`;
  }),
);
const dateTimeLike = fc.oneof(
  fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((date) => date.toISOString()),
  fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom('2026-12-01', '2026-12-01T00:00:00', '2026-02-30T00:00:00Z', '2026-12-01T00:00:00+14:00', '+275760-09-13T00:00:00Z', '1970-01-01T00:00:00Z', 'yesterday', '0'),
);

/** Values for a GraphQL input type: mostly near-valid (to get past coercion), sometimes anything. */
function valueOf(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  const anything = fc.jsonValue({ maxDepth: 2 });
  if (type instanceof GraphQLNonNull) return fc.oneof({ weight: 9, arbitrary: valueOf(type.ofType, depth) }, { weight: 1, arbitrary: fc.constant(null) });
  const typed = ((): fc.Arbitrary<unknown> => {
    if (type instanceof GraphQLList) return fc.oneof(fc.array(valueOf(type.ofType, depth + 1), { maxLength: 4 }), valueOf(type.ofType, depth + 1));
    if (type instanceof GraphQLEnumType) return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...type.getValues().map((value) => value.name)) }, { weight: 1, arbitrary: nastyString });
    if (type instanceof GraphQLInputObjectType) {
      const fields = type.getFields();
      if (depth > 2) return fc.constant({});
      return fc.record(Object.fromEntries(Object.values(fields).map((field) => [field.name, valueOf(field.type, depth + 1)])), { requiredKeys: [] });
    }
    const scalar = type as GraphQLScalarType;
    switch (scalar.name) {
      case 'DateTime':
        return dateTimeLike;
      case 'Decimal':
        return fc.oneof(decimalLike, fc.double());
      case 'Int':
        return fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, -(2 ** 31) - 1), fc.double());
      case 'Float':
        return fc.oneof(fc.double(), fc.integer());
      case 'Boolean':
        return fc.boolean();
      default:
        return nastyString;
    }
  })();
  return fc.oneof({ weight: 4, arbitrary: typed }, { weight: 1, arbitrary: anything }, { weight: 1, arbitrary: fc.constant(null) });
}

function operationOf(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): Operation {
  const args = field.args;
  const declared = args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const passed = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  const document = `${kind} Fuzz${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`;
  const variables = fc.record(Object.fromEntries(args.map((arg) => [arg.name, valueOf(arg.type)])), { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;
  return { name: `${kind} ${field.name}`, document, variables };
}

const queries = Object.values(schema.getQueryType()!.getFields()).filter((field) => field.args.length > 0).map((field) => operationOf('query', field));
const mutations = Object.values(schema.getMutationType()!.getFields()).map((field) => operationOf('mutation', field));

interface Answer {
  status: number;
  body: { data?: unknown; errors?: Array<{ message?: string; extensions?: { code?: string } }> } | undefined;
  text: string;
}

describe('GraphQL variables of every query and mutation under arbitrary values (the real gateway)', () => {
  let bus: TestBus;
  let gateway: RunningService<undefined>;
  let fakeServices: Subscription[];
  const errorLogs: string[] = [];
  const seenCodes = new Map<string, number>();
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => void rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    bus = await createTestBus();
    // One fake for every service: whatever is asked, the answer is NOT_FOUND.
    const notFound = new TextEncoder().encode(JSON.stringify({ ok: false, error: { code: 'NOT_FOUND', message: 'nothing here (fake service)' } }));
    fakeServices = [subjects.query(bus.ns, '*', '*'), subjects.command(bus.ns, '*', '*')].map((subject) =>
      bus.nc.subscribe(subject, { callback: (error, msg) => void (error || msg.respond(notFound)) }),
    );
    const env = { NATS_URL: bus.natsUrl, FINOPS_NAMESPACE: bus.token, AGENTLEDGER_API_KEYS: `${KEYS.admin}=acme:admin,${KEYS.viewer}=acme:viewer`, LOG_LEVEL: 'error', GATEWAY_QUERY_TIMEOUT_MS: '2000' };
    gateway = await startService(gatewayService, { env, port: 0, logWrite: (line) => void errorLogs.push(line) });
  });

  afterAll(async () => {
    await gateway.stop();
    for (const subscription of fakeServices) subscription.unsubscribe();
    await bus.cleanup();
    process.off('unhandledRejection', onRejection);
  });

  const ask = async (document: string, variables: unknown, key: string): Promise<Answer> => {
    const response = await fetch(`http://127.0.0.1:${gateway.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: document, variables }),
    });
    const text = await response.text();
    let body: Answer['body'];
    try {
      body = JSON.parse(text) as Answer['body'];
    } catch {
      body = undefined;
    }
    return { status: response.status, body, text };
  };

  /** What is wrong with an answer (nothing: undefined). */
  const wrongWith = ({ status, body, text }: Answer): string | undefined => {
    if (status !== 200 && status !== 400) return `HTTP ${status}: ${text.slice(0, 300)}`;
    if (!body || (body.data === undefined && body.errors === undefined)) return `not a GraphQL response: ${text.slice(0, 300)}`;
    const codes = (body.errors ?? []).map((error) => error.extensions?.code);
    for (const code of body.errors ? codes : ['(data)']) seenCodes.set(code ?? '(none)', (seenCodes.get(code ?? '(none)') ?? 0) + 1);
    const undocumented = codes.filter((code) => !DOCUMENTED_CODES.includes(code ?? '(none)'));
    if (undocumented.length > 0) return `codes ${JSON.stringify(undocumented)}: ${text.slice(0, 500)}`;
    return undefined;
  };

  const property = (operations: readonly Operation[], key: fc.Arbitrary<string>) =>
    fc.asyncProperty(
      fc.integer({ min: 0, max: operations.length - 1 }).chain((index) => fc.tuple(fc.constant(operations[index]!.name), fc.oneof({ weight: 5, arbitrary: operations[index]!.variables }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }), key)),
      async ([name, variables, apiKey]) => {
        const operation = operations.find((candidate) => candidate.name === name)!;
        const answer = await ask(operation.document, variables, apiKey);
        expect({ operation: name, variables, wrong: wrongWith(answer) }).toEqual({ operation: name, variables, wrong: undefined });
      },
    );

  it(`answers ${RUNS} arbitrary variable sets for the ${queries.length} queries with arguments`, async () => {
    expect(queries.length).toBeGreaterThan(20);
    await fc.assert(property(queries, fc.constantFrom(KEYS.viewer, KEYS.admin)), { numRuns: RUNS, seed: 31 });
  }, 300_000);

  it(`answers ${RUNS} arbitrary variable sets for the ${mutations.length} mutations, admin and viewer keys`, async () => {
    expect(mutations.map((operation) => operation.name)).toEqual(expect.arrayContaining(['mutation setPrice', 'mutation setBudget', 'mutation pause', 'mutation registerAgent']));
    await fc.assert(property(mutations, fc.constantFrom(KEYS.admin, KEYS.admin, KEYS.viewer)), { numRuns: RUNS, seed: 32 });
  }, 300_000);

  it('answers a `variables` that is not an object with 400 BAD_REQUEST (the fuzzers’ first counterexamples: "" and [])', async () => {
    for (const variables of ['', []]) {
      const answer = await ask(mutations.find((operation) => operation.name === 'mutation setPrice')!.document, variables, KEYS.admin);
      expect({ status: answer.status, codes: answer.body?.errors?.map((error) => error.extensions?.code) }).toEqual({ status: 400, codes: ['BAD_REQUEST'] });
    }
  });

  it('got past coercion often enough to reach the services, and was refused often enough', () => {
    expect(seenCodes.get('NOT_FOUND') ?? 0).toBeGreaterThan(20);
    expect(seenCodes.get('BAD_USER_INPUT') ?? 0).toBeGreaterThan(20);
  });

  it('logged no error and left no unhandled rejection', () => {
    expect(errorLogs.filter((line) => /"level":"error"/.test(line))).toEqual([]);
    expect(rejections).toEqual([]);
  });
});
