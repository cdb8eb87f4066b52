import type { z } from 'zod';

/** The services that answer queries and commands on the request/reply bus. */
export type ServiceName = 'attribution' | 'pricing' | 'inventory' | 'budgeting' | 'ingestion';

export type ContractKind = 'query' | 'command';

declare const resultType: unique symbol;

/** A type-only marker for a contract's result: `result: returns<CostSummaryView>()`. */
export interface Returns<R> {
  readonly [resultType]?: R;
}

export const returns = <R>(): Returns<R> => ({});

/**
 * A query or a command as both sides know it: which service answers it, under which name,
 * the schema its arguments must pass (checked by the server) and the type of its result.
 */
export interface Contract<K extends ContractKind = ContractKind, S extends z.ZodType = z.ZodType, R = unknown> {
  readonly kind: K;
  readonly service: ServiceName;
  readonly name: string;
  readonly args: S;
  readonly result: Returns<R>;
}

export type QueryContract<S extends z.ZodType = z.ZodType, R = unknown> = Contract<'query', S, R>;
export type CommandContract<S extends z.ZodType = z.ZodType, R = unknown> = Contract<'command', S, R>;

/** The arguments a handler receives: parsed by the schema. */
export type ArgsOf<C extends Contract> = z.output<C['args']>;
/** The arguments a caller sends, before parsing. */
export type ArgsInputOf<C extends Contract> = z.input<C['args']>;
export type ResultOf<C extends Contract> = C['result'] extends Returns<infer R> ? R : never;

interface Definition<S extends z.ZodType, R> {
  readonly service: ServiceName;
  readonly name: string;
  readonly args: S;
  readonly result: Returns<R>;
}

/** A read: answered on `finops.query.<service>.<name>`, changes nothing. */
export function defineQuery<S extends z.ZodType, R>(definition: Definition<S, R>): QueryContract<S, R> {
  return { kind: 'query', ...definition };
}

/** A change: answered on `finops.command.<service>.<name>`. */
export function defineCommand<S extends z.ZodType, R>(definition: Definition<S, R>): CommandContract<S, R> {
  return { kind: 'command', ...definition };
}
