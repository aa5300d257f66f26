// The ceiling for hubhooks on SQLite: the least a durable webhook receiver must do, in plain node:http + node:sqlite.
// Secret check, body read, JSON.parse, then one row in hubhooks' own `deliveries` table (same columns and the same
// seven indexes: ceiling-schema.js), WAL with synchronous=NORMAL (hubhooks' default durability), group commit (all
// the writes of one event-loop turn in one transaction), and:
//   result   – insert the row as running, commit, run the (no-op) handler, settle (UPDATE + the attempt's history
//              row), commit, then answer 200 with the result: hubhooks' default "result" mode;
//   accepted – insert the row as queued, commit, answer 202 (nothing runs it: the insert alone is what a 202 needs).
// Nothing else: no validation beyond JSON.parse, no logging, no metrics, no dedupe answer for a repeated Webhook-Id
// (the unique index still refuses it; the bench sends unique ids). The ratio hubhooks ÷ this is what issue 20 asks.
//
//   node bench/servers/ceiling-sqlite.js <result|accepted> <database file>
import { randomUUID } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import { minimalServer } from "./minimal-http.js";
import { CEILING_SCHEMA, INSERT_COLUMNS, deliveryRow, storedHeaders } from "./ceiling-schema.js";

const [mode = "result", path = ":memory:"] = process.argv.slice(2);
if (!["result", "accepted"].includes(mode)) {
  console.error("usage: ceiling-sqlite.js <result|accepted> <database file>");
  process.exit(2);
}

const db = new DatabaseSync(path);
db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000");
for (const sql of CEILING_SCHEMA) db.exec(sql);
const insert = db.prepare(
  `INSERT INTO deliveries (${INSERT_COLUMNS.join(", ")}) VALUES (${INSERT_COLUMNS.map(() => "?").join(", ")})`,
);
const settle = db.prepare(
  "UPDATE deliveries SET status = 'succeeded', result = ?, duration_ms = ?, lease_until = NULL, next_attempt_at = NULL, " +
    "finished_at = ?, updated_at = ? WHERE id = ? AND status = 'running' AND attempts = 1",
);
const history = db.prepare(
  "INSERT INTO delivery_attempts (delivery_id, attempt, started_at, finished_at, duration_ms, outcome) VALUES (?, 1, ?, ?, ?, 'succeeded')",
);

/** Group commit: writes queued during one event-loop turn run in one transaction, then their callbacks. */
let pending = [];
function write(run, done) {
  if (pending.length === 0) setImmediate(flush);
  pending.push(run, done);
}
function flush() {
  const batch = pending;
  pending = [];
  let error;
  db.exec("BEGIN");
  try {
    for (let i = 0; i < batch.length; i += 2) batch[i]();
    db.exec("COMMIT");
  } catch (caught) {
    error = caught;
    db.exec("ROLLBACK");
  }
  for (let i = 1; i < batch.length; i += 2) batch[i](error);
}

minimalServer("node:sqlite (ceiling)", (request, text, payload, reply) => {
  const id = randomUUID();
  const now = Date.now();
  const row = deliveryRow(id, request.headers["webhook-id"], text, storedHeaders(request.headers), request.url, payload, now, mode === "result");
  write(() => insert.run(...row), (error) => {
    if (error) return reply(503, { error: String(error.message) });
    if (mode === "accepted") return reply(202, { accepted: true, id });
    const started = Date.now();
    const result = undefined; // the no-op handler
    const finished = Date.now();
    write(() => {
      settle.run(JSON.stringify(result ?? null), finished - started, finished, finished, id);
      history.run(id, started, finished, finished - started);
    }, (settleError) => (settleError ? reply(503, { error: String(settleError.message) }) : reply(200, { ok: true, id, result: result ?? null })));
  });
}, () => db.close());
