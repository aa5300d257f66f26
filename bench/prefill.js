// Bulk rows straight into a delivery log, for the drain backlog and for BENCH_LOG_ROWS: one transaction of plain
// INSERTs on the driver itself (node:sqlite's DatabaseSync), after
// the store's own migrations made the schema. Columns are always listed: migrations may add more (with defaults).
// On Postgres (prefillQueuedPostgres): batched `INSERT … SELECT FROM unnest(arrays)` through the store's own pool,
// after its migrations.
import { createSqliteStore } from "../dist/store.js";

const DAY_MS = 86_400_000;
const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";
const HEADERS = JSON.stringify({ "content-type": "application/json" });

const DELIVERY_COLUMNS = [
  "id", "endpoint", "body", "headers", "webhook_id", "scope", "action", "repo_type", "repo_name", "ordering_key",
  "status", "attempts", "max_attempts", "attempt_budget", "next_attempt_at", "received_at", "updated_at",
];
const FINISHED_COLUMNS = ["started_at", "finished_at", "duration_ms", "result"];

let idSeq = 0;

/**
 * `dlv_` + 10 Crockford characters of time + 16 of a per-process counter: shaped like the store's own ids,
 * unique in one bench process, and sorted by (time, insertion order).
 * @example
 * benchDeliveryId(Date.now()); // "dlv_01kdvdna000000000000000000001"
 */
export function benchDeliveryId(ms) {
  return `dlv_${crockford(ms, 10)}${crockford(++idSeq, 16)}`;
}

function crockford(value, length) {
  let out = "";
  let rest = Math.floor(value);
  for (let i = 0; i < length; i++) {
    out = CROCKFORD[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/** The store's migrations on `path` (a new file gets the whole schema). Returns the driver name. */
export async function migrate(path) {
  const store = await createSqliteStore({ path });
  try {
    await store.migrate();
    return store.driver;
  } finally {
    await store.close();
  }
}

/**
 * `count` queued deliveries of endpoint `endpoint`, due at their receive time (`spreadMs` apart, the newest
 * 1 ms ago): a backlog no worker has touched. Migrates `path` first.
 * @example
 * await prefillQueued("/tmp/x/drain.db", { count: 100_000, body: JSON.stringify(payload) });
 * @param {string} path
 * @param {{ count: number, body: string, endpoint?: string, spreadMs?: number }} options
 */
export async function prefillQueued(path, { count, body, endpoint = "noop", spreadMs = 1 }) {
  await migrate(path);
  const start = Date.now() - count * spreadMs - 1;
  bulkInsert(path, DELIVERY_COLUMNS, count, (i) => {
    const at = start + i * spreadMs;
    return [
      benchDeliveryId(at), endpoint, body, HEADERS, `drain-${idSeq}`, "repo.content", "update", "model", "acme/bench-model",
      null, "queued", 0, 5, 5, at, at, at,
    ];
  });
}

/**
 * `rows` succeeded deliveries of endpoint `endpoint`, each with its one attempt in the history: a log a server
 * wrote over the past week. Receive times spread evenly from 7 days minus 2 hours ago (inside the default 7-day
 * retention, so a server's startup prune deletes none of them) to a minute ago; bodies are the real fixture
 * (`bodyFor(repo)`) for one of 50 repos. Migrates `path` first.
 * @example
 * await prefillLog("/tmp/x/log.db", { rows: 1_000_000, bodyFor: (repo) => JSON.stringify(getFixture("repo.content.update", { repo })) });
 * @param {string} path
 * @param {{ rows: number, bodyFor: (repo: string) => string, endpoint?: string }} options
 */
export async function prefillLog(path, { rows, bodyFor, endpoint = "noop" }) {
  await migrate(path);
  const repos = Array.from({ length: 50 }, (_, r) => `acme/model-${r}`);
  const bodies = repos.map(bodyFor);
  const now = Date.now();
  const oldest = now - 7 * DAY_MS + 2 * 3_600_000;
  const span = now - 60_000 - oldest;
  const ids = [];
  const times = [];
  bulkInsert(path, [...DELIVERY_COLUMNS, ...FINISHED_COLUMNS], rows, (i) => {
    const at = oldest + Math.floor((i * span) / Math.max(1, rows - 1));
    const id = benchDeliveryId(at);
    ids[i % 1024] = id;
    times[i % 1024] = at;
    const r = i % repos.length;
    // A Hub webhook id is a Mongo ObjectId: 4 bytes of seconds, then 8 more.
    const webhookId = Math.floor(at / 1000).toString(16).padStart(8, "0") + idSeq.toString(16).padStart(16, "0");
    return [
      id, endpoint, bodies[r], HEADERS, webhookId, "repo.content", "update", "model", repos[r], null,
      "succeeded", 1, 5, 5, null, at, at + 3, at + 1, at + 3, 2, "null",
    ];
  }, (i) => [ids[i % 1024], 1, times[i % 1024] + 1, times[i % 1024] + 3, 2, "succeeded"]);
}

/**
 * `count` rows into `deliveries` (and, with `attemptRow`, one row each into `delivery_attempts`) in one
 * transaction with the rollback journal off (a bulk load into a file nothing else has open), then back to WAL.
 */
function bulkInsert(path, columns, count, row, attemptRow) {
  const db = openDriver(path);
  try {
    db.exec("pragma journal_mode = off; pragma synchronous = off; pragma cache_size = -262144");
    const insert = db.prepare(`insert into deliveries (${columns.join(", ")}) values (${columns.map(() => "?").join(", ")})`);
    const insertAttempt = attemptRow && db.prepare(
      "insert into delivery_attempts (delivery_id, attempt, started_at, finished_at, duration_ms, outcome) values (?, ?, ?, ?, ?, ?)",
    );
    db.exec("begin");
    try {
      for (let i = 0; i < count; i++) {
        insert.run(...row(i));
        if (insertAttempt) insertAttempt.run(...attemptRow(i));
      }
      db.exec("commit");
    } catch (error) {
      db.exec("rollback");
      throw error;
    }
    db.exec("pragma journal_mode = wal");
  } finally {
    db.close();
  }
}

function openDriver(path) {
  return new (process.getBuiltinModule("node:sqlite").DatabaseSync)(path);
}

const PG_ROWS_PER_STATEMENT = 20_000;
const PG_TYPES = ["text", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text", "int", "int", "int",
  "bigint", "bigint", "bigint"];

/**
 * Postgres: `count` queued deliveries of endpoint `endpoint` into schema `schema` of the database at `url`, shaped
 * as `prefillQueued` makes them on SQLite. Runs the store's migrations first (`createPostgresStore` from
 * dist/postgres.js, `store.migrate()`), then one transaction of `INSERT … SELECT FROM unnest(…)` statements of
 * 20,000 rows each through the store's pool; ANALYZE at the end (as autovacuum soon would).
 * @example
 * await prefillQueuedPostgres({ url: "postgres://postgres@127.0.0.1:5432/postgres", schema: "bench_drain", count: 100_000, body });
 * @param {{ url: string, schema: string, count: number, body: string, endpoint?: string, spreadMs?: number }} options
 */
export async function prefillQueuedPostgres({ url, schema, count, body, endpoint = "noop", spreadMs = 1 }) {
  const { createPostgresStore } = await import("../dist/postgres.js");
  const store = await createPostgresStore({ url, schema });
  try {
    await store.migrate();
    const start = Date.now() - count * spreadMs - 1;
    const table = `"${schema}".deliveries`;
    const text = `insert into ${table} (${DELIVERY_COLUMNS.join(", ")}) select * from unnest(` +
      PG_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(", ") + ")";
    const client = await store.pool.connect();
    try {
      await client.query("begin");
      for (let from = 0; from < count; from += PG_ROWS_PER_STATEMENT) {
        const n = Math.min(PG_ROWS_PER_STATEMENT, count - from);
        const columns = DELIVERY_COLUMNS.map(() => new Array(n));
        for (let j = 0; j < n; j++) {
          const at = start + (from + j) * spreadMs;
          const row = [
            benchDeliveryId(at), endpoint, body, HEADERS, `drain-${idSeq}`, "repo.content", "update", "model",
            "acme/bench-model", null, "queued", 0, 5, 5, at, at, at,
          ];
          for (let c = 0; c < row.length; c++) columns[c][j] = row[c];
        }
        await client.query(text, columns);
      }
      await client.query("commit");
    } catch (error) {
      await client.query("rollback").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    await store.pool.query(`analyze ${table}`);
  } finally {
    await store.close();
  }
}
