import type { SqliteDatabase, SqliteStatement } from "kysely";

/** How many prepared statements one connection keeps; the store's own SQL is a few dozen texts. */
export const STATEMENT_CACHE_SIZE = 100;

/**
 * Wraps a SQLite connection so `prepare(sql)` reuses the statement prepared for the same SQL text
 * (least recently used first out, at most `size`). kysely's SqliteDialect prepares every query it runs,
 * and preparing the claim costs about as much as running it. Both drivers' statements are reusable:
 * each `all`/`run` binds its parameters afresh and resets the statement. `iterate` gets a statement of its
 * own, because a statement with an open iterator is busy until the iterator ends. Closing the connection
 * drops the cache with it (both drivers finalize their statements on close).
 * @example
 * const database = cacheStatements(new NodeSqliteDatabase(raw));
 * new Kysely({ dialect: new SqliteDialect({ database }) });
 */
export function cacheStatements(inner: SqliteDatabase, size = STATEMENT_CACHE_SIZE): SqliteDatabase & { readonly cachedStatements: number } {
  const cache = new Map<string, SqliteStatement>();
  let closed = false;
  const reuse = (sql: string, statement: SqliteStatement): SqliteStatement => ({
    reader: statement.reader,
    all: (parameters) => statement.all(parameters),
    run: (parameters) => statement.run(parameters),
    iterate: (parameters) => inner.prepare(sql).iterate(parameters),
  });
  return {
    get cachedStatements() {
      return cache.size;
    },
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql); // Map keeps insertion order: re-inserting makes it the most recent.
      } else {
        statement = inner.prepare(sql);
        if (closed) return statement;
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return reuse(sql, statement);
    },
    close(): void {
      closed = true;
      cache.clear();
      inner.close();
    },
  };
}
