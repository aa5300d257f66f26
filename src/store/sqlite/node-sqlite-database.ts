import type { SqliteDatabase, SqliteStatement } from "kysely";

/** The part of `node:sqlite` we use. */
export interface NodeSqliteModule {
  DatabaseSync: new (path: string) => NodeDatabaseSync;
}

/** `node:sqlite`'s DatabaseSync, as far as hubhooks uses it. */
export interface NodeDatabaseSync {
  prepare(sql: string): NodeStatementSync;
  exec(sql: string): void;
  close(): void;
  /** Node >= 22.16 / 24. */
  readonly isTransaction?: boolean;
}

/** `node:sqlite`'s StatementSync, as far as hubhooks uses it. */
export interface NodeStatementSync {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...params: unknown[]): IterableIterator<unknown>;
  /** Node >= 22.16 / 23.11. */
  columns?: () => unknown[];
}

// Only for Node 22.13-22.15, whose statements lack columns(): a statement returns rows if it is a query
// or has a RETURNING clause. Our own SQL is the only SQL run here, so this simple test is enough.
const READER_SQL = /^\s*(select|with|pragma|values|explain)\b|\breturning\b/i;

/**
 * Gives kysely's SqliteDialect the statement interface it expects, over `node:sqlite`'s
 * DatabaseSync (which takes parameters spread, not as one array).
 * @example
 * const raw = new (process.getBuiltinModule("node:sqlite") as NodeSqliteModule).DatabaseSync(":memory:");
 * new Kysely({ dialect: new SqliteDialect({ database: new NodeSqliteDatabase(raw) }) });
 */
export class NodeSqliteDatabase implements SqliteDatabase {
  readonly #db: NodeDatabaseSync;
  #open = true;

  constructor(db: NodeDatabaseSync) {
    this.#db = db;
  }

  prepare(sql: string): SqliteStatement {
    const statement = this.#db.prepare(sql);
    const reader = typeof statement.columns === "function" ? statement.columns().length > 0 : READER_SQL.test(sql);
    return {
      reader,
      all: (parameters) => statement.all(...parameters),
      run: (parameters) => statement.run(...parameters),
      iterate: (parameters) => statement.iterate(...parameters),
    };
  }

  /** Idempotent: kysely and the store may both close it. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#db.close();
  }
}
