import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kysely, SqliteDialect, sql, type SqliteDatabase } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { NodeSqliteDatabase } from "../../src/store/sqlite/node-sqlite-database.js";
import { loadNodeSqlite, openSqlite } from "../../src/store/sqlite/open-sqlite.js";
import { cacheStatements } from "../../src/store/sqlite/statement-cache.js";

const dir = mkdtempSync(join(tmpdir(), "hubhooks-stmt-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The real node:sqlite driver, counting its prepares. */
async function countingDatabase(): Promise<{ database: SqliteDatabase; prepared: string[] }> {
  const inner: SqliteDatabase = new NodeSqliteDatabase(new (loadNodeSqlite().DatabaseSync)(":memory:"));
  const prepared: string[] = [];
  return {
    prepared,
    database: { prepare: (text) => (prepared.push(text), inner.prepare(text)), close: () => inner.close() },
  };
}

describe("cacheStatements (real SQLite driver of this Node)", () => {
  it("prepares each SQL text once and rebinds parameters on every reuse", async () => {
    const { database, prepared } = await countingDatabase();
    const cached = cacheStatements(database);
    const db = new Kysely<{ t: { id: number; name: string } }>({ dialect: new SqliteDialect({ database: cached }) });
    await sql`create table t (id integer primary key, name text not null)`.execute(db);
    for (let id = 1; id <= 5; id++) {
      const row = await db.insertInto("t").values({ id, name: `n${id}` }).returningAll().executeTakeFirstOrThrow();
      expect(row).toEqual({ id, name: `n${id}` });
    }
    for (let id = 1; id <= 5; id++) {
      expect(await db.selectFrom("t").select("name").where("id", "=", id).executeTakeFirst()).toEqual({ name: `n${id}` });
    }
    const insertSql = prepared.filter((s) => s.startsWith("insert"));
    const selectSql = prepared.filter((s) => s.startsWith("select"));
    expect([insertSql.length, selectSql.length]).toEqual([1, 1]);
    await db.destroy();
  });

  it("stays usable after a statement fails (constraint violation) and inside transactions", async () => {
    const { database, prepared } = await countingDatabase();
    const db = new Kysely<{ t: { id: number } }>({ dialect: new SqliteDialect({ database: cacheStatements(database) }) });
    await sql`create table t (id integer primary key)`.execute(db);
    await db.insertInto("t").values({ id: 1 }).execute();
    await expect(db.insertInto("t").values({ id: 1 }).execute()).rejects.toThrow(/UNIQUE|constraint/i);
    for (let id = 2; id <= 4; id++) {
      await db.transaction().execute((trx) => trx.insertInto("t").values({ id }).execute());
    }
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("t").values({ id: 5 }).execute();
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect((await db.selectFrom("t").select("id").execute()).map((r) => r.id)).toEqual([1, 2, 3, 4]);
    expect(prepared.filter((s) => s === "begin")).toHaveLength(1);
    expect(prepared.filter((s) => s === "commit")).toHaveLength(1);
    await db.destroy();
  });

  it("evicts the least recently used statement beyond its size", async () => {
    const { database, prepared } = await countingDatabase();
    const cached = cacheStatements(database, 2);
    const run = (text: string) => cached.prepare(text).all([]);
    run("select 1");
    run("select 2");
    run("select 1"); // now "select 2" is the least recently used
    run("select 3"); // evicts "select 2"
    expect(cached.cachedStatements).toBe(2);
    run("select 1");
    run("select 3");
    expect(prepared).toEqual(["select 1", "select 2", "select 3"]);
    run("select 2");
    expect(prepared).toEqual(["select 1", "select 2", "select 3", "select 2"]);
    cached.close();
  });

  it("gives each iterator a statement of its own (two open iterators of one SQL text)", async () => {
    const { database } = await countingDatabase();
    const cached = cacheStatements(database);
    const text = "select value from json_each(?)";
    const a = cached.prepare(text).iterate(["[1,2]"]);
    const b = cached.prepare(text).iterate(["[3,4]"]);
    const firstA = a.next().value;
    const all = [...b];
    expect([firstA, all, [...a]]).toEqual([{ value: 1 }, [{ value: 3 }, { value: 4 }], [{ value: 2 }]]);
    expect(cached.prepare(text).all(["[5]"])).toEqual([{ value: 5 }]);
    cached.close();
  });

  it("drops the cache when the database closes; closing twice is harmless", async () => {
    const { database } = await countingDatabase();
    const cached = cacheStatements(database);
    cached.prepare("select 1").all([]);
    expect(cached.cachedStatements).toBe(1);
    cached.close();
    cached.close();
    expect(cached.cachedStatements).toBe(0);
    expect(() => cached.prepare("select 1").all([])).toThrow();
  });

  it("is what openSqlite returns for a file", async () => {
    const { database } = openSqlite(join(dir, "opened.db"));
    const cached = database as ReturnType<typeof cacheStatements>;
    cached.prepare("select 1").all([]);
    cached.prepare("select 1").all([]);
    expect(cached.cachedStatements).toBe(1);
    database.close();
  });
});
