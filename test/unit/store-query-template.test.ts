import { Kysely, SqliteDialect, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { openSqlite } from "../../src/store/open-sqlite.js";
import { queryTemplate } from "../../src/store/query-template.js";

interface DB {
  t: { id: number; name: string | null; tag: string };
}

async function openDb(): Promise<{ db: Kysely<DB>; sqlTexts: string[] }> {
  const { database } = await openSqlite(":memory:");
  const sqlTexts: string[] = [];
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database }), log: (e) => void sqlTexts.push(e.query.sql) });
  await sql`create table t (id integer primary key, name text, tag text not null)`.execute(db);
  return { db, sqlTexts };
}

describe("queryTemplate (real SQLite)", () => {
  let builds = 0;
  const insert = queryTemplate("t-insert", (db: Kysely<DB>, v: { id: number; name: string | null; tag: string }) => {
    builds++;
    return db.insertInto("t").values(v).returningAll();
  });
  const byTags = queryTemplate("t-by-tags", (db: Kysely<DB>, v: { tags: string[]; minId: number }) => {
    builds++;
    return db.selectFrom("t").select("id").where("tag", "in", v.tags).where("id", ">=", v.minId).orderBy("id");
  });

  it("builds once per database and shape, and binds each run's own values", async () => {
    const { db, sqlTexts } = await openDb();
    builds = 0;
    for (let id = 1; id <= 6; id++) {
      const { rows } = await insert(db, { id, name: id % 2 ? `n${id}` : null, tag: `t${id % 3}` });
      expect(rows).toEqual([{ id, name: id % 2 ? `n${id}` : null, tag: `t${id % 3}` }]);
    }
    expect(builds).toBe(1);
    expect((await byTags(db, { tags: ["t0"], minId: 0 })).rows).toEqual([{ id: 3 }, { id: 6 }]);
    expect((await byTags(db, { tags: ["t1"], minId: 2 })).rows).toEqual([{ id: 4 }]);
    expect(builds).toBe(2);
    // Another array length is another shape (another SQL text).
    expect((await byTags(db, { tags: ["t1", "t2"], minId: 0 })).rows.map((r) => r.id)).toEqual([1, 2, 4, 5]);
    expect(builds).toBe(3);
    expect(new Set(sqlTexts.filter((s) => s.startsWith("select"))).size).toBe(2);
    await db.destroy();
  });

  it("shares the compiled query with the database's transactions, and rolls back with them", async () => {
    const { db } = await openDb();
    builds = 0;
    await insert(db, { id: 1, name: "a", tag: "x" });
    await db.transaction().execute(async (trx) => {
      await insert(trx, { id: 2, name: "b", tag: "x" });
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await insert(trx, { id: 3, name: "c", tag: "x" });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect((await byTags(db, { tags: ["x"], minId: 0 })).rows).toEqual([{ id: 1 }, { id: 2 }]);
    expect(builds).toBe(2);
    await db.destroy();
  });

  it("compiles separately for each database, and binds NULL for an undefined value", async () => {
    const a = await openDb();
    const b = await openDb();
    builds = 0;
    await insert(a.db, { id: 1, name: "a", tag: "x" });
    await insert(b.db, { id: 1, name: undefined as unknown as null, tag: "y" });
    expect(builds).toBe(2);
    expect(await b.db.selectFrom("t").selectAll().execute()).toEqual([{ id: 1, name: null, tag: "y" }]);
    await a.db.destroy();
    await b.db.destroy();
  });
});
