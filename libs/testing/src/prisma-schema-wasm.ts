import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The datamodel part of Prisma's DMMF, as far as the drift check reads it. */
export interface PrismaDatamodel {
  readonly models: readonly PrismaModel[];
  readonly enums: readonly { readonly name: string; readonly dbName?: string | null }[];
  readonly indexes: readonly PrismaIndex[];
}

export interface PrismaModel {
  readonly name: string;
  readonly dbName: string | null;
  readonly fields: readonly PrismaField[];
}

export interface PrismaField {
  readonly name: string;
  readonly dbName?: string | null;
  readonly kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  readonly type: string;
  readonly isList: boolean;
  readonly isRequired: boolean;
  readonly hasDefaultValue: boolean;
  readonly default?: unknown;
  readonly nativeType?: readonly [string, readonly string[]] | null;
}

export interface PrismaIndex {
  readonly model: string;
  readonly type: 'id' | 'unique' | 'normal' | 'fulltext';
  readonly dbName?: string | null;
  readonly fields: readonly { readonly name: string }[];
}

/**
 * Parses a schema.prisma with Prisma's own parser: the schema Wasm module the `prisma` CLI
 * (a root devDependency, the one that generates the clients) ships, so the check reads the
 * schema exactly as `prisma generate` does. The CLI bundles the module's JavaScript glue, so
 * the four imports it needs are provided here; an unknown import means a new Prisma version
 * changed them, and fails loudly rather than parsing wrongly.
 */
export function parsePrismaSchema(schema: string): PrismaDatamodel {
  const dmmf = JSON.parse(schemaWasm().call('get_dmmf', JSON.stringify({ prismaSchema: schema, noColor: true }))) as { datamodel: PrismaDatamodel };
  return dmmf.datamodel;
}

// Node has WebAssembly; its type declarations (the DOM lib) are not in this project's lib.
interface WasmTable {
  grow(delta: number): number;
  get(index: number): unknown;
  set(index: number, value: unknown): void;
}
interface WasmApi {
  Module: { new (bytes: Uint8Array): object; imports(module: object): { module: string; name: string }[] };
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmApi };

interface SchemaWasmExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  readonly __wbindgen_externrefs: WasmTable;
  __wbindgen_start(): void;
  __wbindgen_malloc(size: number, align: number): number;
  __wbindgen_free(pointer: number, size: number, align: number): void;
  __externref_table_dealloc(index: number): void;
  [method: string]: unknown;
}

let instance: { call(method: string, argument: string): string } | undefined;

function schemaWasm(): { call(method: string, argument: string): string } {
  if (instance !== undefined) return instance;
  const require = createRequire(import.meta.url);
  const wasmPath = join(dirname(require.resolve('prisma/package.json')), 'build', 'prisma_schema_build_bg.wasm');
  const module = new WebAssembly.Module(readFileSync(wasmPath));
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const encoder = new TextEncoder();
  let wasm: SchemaWasmExports | undefined;
  const text = (pointer: number, length: number) => decoder.decode(new Uint8Array(wasm!.memory.buffer, pointer, length));
  const provided: Record<string, (...args: number[]) => unknown> = {
    set_message: () => undefined, // the panic message: the thrown error carries it too
    Error: (pointer, length) => new Error(text(pointer, length)),
    __wbindgen_throw: (pointer, length) => {
      throw new Error(text(pointer, length));
    },
    __wbindgen_init_externref_table: () => {
      const table = wasm!.__wbindgen_externrefs;
      const offset = table.grow(4);
      table.set(0, undefined);
      [undefined, null, true, false].forEach((value, index) => table.set(offset + index, value));
    },
  };
  const imports: Record<string, Record<string, (...args: number[]) => unknown>> = {};
  for (const wanted of WebAssembly.Module.imports(module)) {
    const implementation = provided[wanted.name.replace(/^__wbg_/, '').replace(/_[0-9a-f]{16}$/, '')];
    if (implementation === undefined) throw new Error(`${wasmPath} needs the import ${wanted.module}.${wanted.name}, which parsePrismaSchema does not provide (a new Prisma version?)`);
    (imports[wanted.module] ??= {})[wanted.name] = implementation;
  }
  wasm = new WebAssembly.Instance(module, imports).exports as unknown as SchemaWasmExports;
  wasm.__wbindgen_start();
  const exports = wasm;
  instance = {
    call(method, argument) {
      const bytes = encoder.encode(argument);
      const pointer = exports.__wbindgen_malloc(bytes.length, 1);
      new Uint8Array(exports.memory.buffer, pointer, bytes.length).set(bytes);
      const [resultPointer, resultLength, errorIndex, failed] = (exports[method] as (pointer: number, length: number) => number[])(pointer, bytes.length);
      if (failed) {
        const error = exports.__wbindgen_externrefs.get(errorIndex!) as Error;
        exports.__externref_table_dealloc(errorIndex!);
        throw new Error(`schema.prisma does not parse: ${readableParseError(error.message)}`);
      }
      try {
        return text(resultPointer!, resultLength!);
      } finally {
        exports.__wbindgen_free(resultPointer!, resultLength!, 1);
      }
    },
  };
  return instance;
}

function readableParseError(message: string): string {
  try {
    return (JSON.parse(message) as { message?: string }).message ?? message;
  } catch {
    return message;
  }
}
