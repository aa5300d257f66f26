// The ceiling for hubhooks on Postgres: node:http + a `pg` pool, the same work as ceiling-sqlite.js (hubhooks' own
// table and indexes, in a schema of its own) with Postgres' default durability (every commit flushed before its
// answer). Group commit: the inserts of one event-loop turn are ONE multi-row INSERT (one statement = one commit),
// the settles of one turn ONE statement (an UPDATE … FROM unnest feeding the attempts' INSERT in a CTE), up to
// POOL statements in flight at once.
//   result   – insert as running, commit, run the (no-op) handler, settle, commit, answer 200;
//   accepted – insert as queued, commit, answer 202.
//
//   node bench/servers/ceiling-postgres.js <result|accepted> <postgres:// URL> <schema>
import { randomUUID } from "node:crypto";
import pg from "pg";
import { minimalServer } from "./minimal-http.js";
import { CEILING_SCHEMA, INSERT_COLUMNS, deliveryRow, storedHeaders } from "./ceiling-schema.js";

const POOL = 4;
const [mode = "result", url, schema = "ceiling"] = process.argv.slice(2);
if (!["result", "accepted"].includes(mode) || !url || !/^[a-z_][a-z0-9_]*$/.test(schema)) {
  console.error("usage: ceiling-postgres.js <result|accepted> <postgres:// URL> <schema>");
  process.exit(2);
}

const pool = new pg.Pool({ connectionString: url, max: POOL, options: `-c search_path=${schema}` });
pool.on("error", () => {});
await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
for (const sql of CEILING_SCHEMA) await pool.query(sql);

/** One batching queue per statement kind: what is queued during one turn goes out as one statement. */
function batcher(send) {
  let pending = [];
  return (item, done) => {
    if (pending.length === 0) {
      setImmediate(() => {
        const batch = pending;
        pending = [];
        send(batch.map(([i]) => i)).then(
          () => batch.forEach(([, d]) => d()),
          (error) => batch.forEach(([, d]) => d(error)),
        );
      });
    }
    pending.push([item, done]);
  };
}

const width = INSERT_COLUMNS.length;
const insertMany = batcher((rows) => {
  const values = rows.map((_, r) => `(${INSERT_COLUMNS.map((__, c) => `$${r * width + c + 1}`).join(", ")})`);
  return pool.query(`INSERT INTO deliveries (${INSERT_COLUMNS.join(", ")}) VALUES ${values.join(", ")}`, rows.flat());
});
const settleMany = batcher((settles) => pool.query(
  `WITH s AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS s(id, started_at, finished_at)),
   u AS (UPDATE deliveries d SET status = 'succeeded', result = 'null', duration_ms = s.finished_at - s.started_at,
     lease_until = NULL, next_attempt_at = NULL, finished_at = s.finished_at, updated_at = s.finished_at
     FROM s WHERE d.id = s.id AND d.status = 'running' AND d.attempts = 1 RETURNING d.id)
   INSERT INTO delivery_attempts (delivery_id, attempt, started_at, finished_at, duration_ms, outcome)
   SELECT s.id, 1, s.started_at, s.finished_at, s.finished_at - s.started_at, 'succeeded' FROM s JOIN u ON u.id = s.id`,
  [settles.map((s) => s[0]), settles.map((s) => s[1]), settles.map((s) => s[2])],
));

minimalServer("pg (ceiling)", (request, text, payload, reply) => {
  const id = randomUUID();
  const now = Date.now();
  const row = deliveryRow(id, request.headers["webhook-id"], text, storedHeaders(request.headers), request.url, payload, now, mode === "result");
  insertMany(row, (error) => {
    if (error) return reply(503, { error: String(error.message) });
    if (mode === "accepted") return reply(202, { accepted: true, id });
    const started = Date.now(); // the no-op handler runs here
    const finished = Date.now();
    settleMany([id, started, finished], (settleError) =>
      settleError ? reply(503, { error: String(settleError.message) }) : reply(200, { ok: true, id, result: null }));
  });
}, () => pool.end().catch(() => {}));
