import { Kysely, SqliteDialect, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { NodeSqliteDatabase, type NodeSqliteModule } from "../../src/store/sqlite/node-sqlite-database.js";
import { loadNodeSqlite } from "../../src/store/sqlite/open-sqlite.js";

const nodeSqlite = loadNodeSqlite();

/** A real node:sqlite database whose statements lack columns(), as on Node 22.13-22.15. */
function withoutColumns(module: NodeSqliteModule): NodeSqliteModule["DatabaseSync"] {
  return class {
    readonly #db: InstanceType<NodeSqliteModule["DatabaseSync"]>;
    constructor(path: string) {
      this.#db = new module.DatabaseSync(path);
    }
    prepare(text: string) {
      const statement = this.#db.prepare(text);
      return {
        all: (...p: unknown[]) => statement.all(...p),
        get: (...p: unknown[]) => statement.get(...p),
        run: (...p: unknown[]) => statement.run(...p),
        iterate: (...p: unknown[]) => statement.iterate(...p),
      };
    }
    exec(text: string) {
      this.#db.exec(text);
    }
    close() {
      this.#db.close();
    }
  };
}

describe("NodeSqliteDatabase (node:sqlite under kysely)", () => {
  for (const [label, open] of [
    ["with columns()", (m: NodeSqliteModule) => new m.DatabaseSync(":memory:")],
    ["without columns() (Node 22.13-22.15)", (m: NodeSqliteModule) => new (withoutColumns(m))(":memory:")],
  ] as const) {
    it(`runs queries, writes with affected-row counts and RETURNING ${label}`, async () => {
      const database = new NodeSqliteDatabase(open(nodeSqlite!));
      const db = new Kysely<{ t: { id: number; name: string } }>({ dialect: new SqliteDialect({ database }) });
      await sql`create table t (id integer primary key, name text)`.execute(db);
      const inserted = await db.insertInto("t").values([{ id: 1, name: "a" }, { id: 2, name: "b" }]).executeTakeFirst();
      expect(inserted.numInsertedOrUpdatedRows).toBe(2n);
      const returned = await db.updateTable("t").set({ name: "z" }).where("id", "=", 2).returningAll().execute();
      expect(returned).toEqual([{ id: 2, name: "z" }]);
      const deleted = await db.deleteFrom("t").where("id", "=", 1).executeTakeFirst();
      expect(deleted.numDeletedRows).toBe(1n);
      expect(await db.selectFrom("t").selectAll().execute()).toEqual([{ id: 2, name: "z" }]);
      await db.destroy();
      database.close(); // idempotent after kysely closed it
    });
  }
});
