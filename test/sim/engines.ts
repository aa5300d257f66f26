import { existsSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPostgresStore } from "../../src/store/postgres/create-postgres-store.js";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.js";
import { postgresLogView, sqliteLogView } from "./log-view.js";
import type { SimEngine } from "./simulation.js";

let runs = 0;

/** SQLite files on tmpfs when the machine has one (/dev/shm): real files, two connections, no disk wait. */
export function sqliteEngine(): SimEngine {
  const dir = join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), `hubhooks-sim-${process.pid}`);
  return {
    name: "sqlite",
    async create(seed) {
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `seed-${seed}-${++runs}.db`);
      const setup = await createSqliteStore({ path });
      await setup.migrate();
      await setup.close();
      const view = sqliteLogView(path);
      return {
        open: () => createSqliteStore({ path }),
        view,
        dispose: async () => {
          await view.close();
          rmSync(dir, { recursive: true, force: true }); // one run at a time: nothing else lives there
        },
      };
    },
  };
}

/** One schema per run on the test Postgres cluster (the vitest global setup's), dropped afterwards. */
export function postgresEngine(url: string): SimEngine {
  return {
    name: "postgres",
    async create(seed) {
      const schema = `sim_${process.pid}_${seed}_${++runs}`;
      const setup = await createPostgresStore({ url, schema });
      await setup.migrate();
      await setup.close();
      const view = await postgresLogView(url, schema);
      return {
        open: () => createPostgresStore({ url, schema, poolOptions: { max: 4 } }),
        view,
        dispose: async () => {
          await view.drop();
          await view.close();
        },
      };
    },
  };
}
