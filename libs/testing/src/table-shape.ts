/** A table as the drift check compares it, whether read from schema.prisma or from PostgreSQL. */
export interface TableShape {
  readonly name: string;
  /** Where it comes from, for messages: `model DeadLetter` or the table itself. */
  readonly origin: string;
  readonly columns: ReadonlyMap<string, ColumnShape>;
  /** Primary key, unique and plain indexes, by name. */
  readonly indexes: ReadonlyMap<string, IndexShape>;
}

export interface ColumnShape {
  /** As PostgreSQL's `format_type` prints it: `numeric(38,18)`, `timestamp(3) with time zone`. */
  readonly type: string;
  readonly nullable: boolean;
  /** What the database fills in (column-default.ts writes it); undefined when nothing. */
  readonly default: string | undefined;
  /** schema.prisma's `dbgenerated(…)` SQL, until PostgreSQL has printed it into `default`. */
  readonly dbgenerated?: string;
}

export interface IndexShape {
  readonly kind: 'primary key' | 'unique' | 'index';
  readonly columns: readonly string[];
  /**
   * A partial index's predicate, as PostgreSQL prints it. Prisma's DMMF does not carry a
   * `where:` (preview feature partialIndexes), so it is shown, never compared.
   */
  readonly where?: string;
}
