import type { SqliteDatabase, SqliteStatement } from "kysely";

/** The part of `node:sqlite` we use (typed here: @types/node 20 has no `node:sqlite`). */
export interface NodeSqliteModule {
  DatabaseSync: new (path: string) => NodeDatabaseSync;
}

interface NodeDatabaseSync {
  prepare(sql: string): NodeStatementSync;
  close(): void;
}

interface NodeStatementSync {
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...params: unknown[]): IterableIterator<unknown>;
  /** Node >= 22.16 / 23.11. */
  columns?: () => unknown[];
}

// Only for Node 22.13-22.15, whose statements lack columns(): a statement returns rows if it is a query
// or has a RETURNING clause. Our own SQL is the only SQL run here, so this simple test is enough.
const READER_SQL = /^\s*(select|with|pragma|values|explain)\b|\breturning\b/i;

/**
 * Gives kysely's SqliteDialect the better-sqlite3-like interface it expects, over `node:sqlite`'s
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
