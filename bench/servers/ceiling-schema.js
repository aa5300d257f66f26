// The delivery log's tables and indexes as hubhooks' migrations (001-007) leave them, written out once for the
// ceiling servers (ceiling-sqlite.js, ceiling-postgres.js): the ceiling pays for the same B-trees per insert as
// hubhooks does. Dumped from `sqlite_master` after the migrations; Postgres gets the same with its own types.
// If the engine's schema changes (fewer indexes, say), change it here too, or the ratios compare different work.

const COLUMNS = `id text primary key, endpoint text not null, body text not null, headers text not null, webhook_id text,
  scope text, action text, repo_type text, repo_name text, ordering_key text, status text not null,
  attempts integer default 0 not null, max_attempts integer not null, attempt_budget integer not null,
  next_attempt_at bigint, lease_until bigint, started_at bigint, result text, error text, duration_ms bigint,
  received_at bigint not null, updated_at bigint not null, finished_at bigint, url text, completed_steps text,
  traceparent text`;

const ATTEMPT_COLUMNS = `delivery_id text not null, attempt integer not null, started_at bigint not null,
  finished_at bigint, duration_ms bigint, outcome text not null, error text, stack text,
  primary key (delivery_id, attempt)`;

/** DDL statements, in order, for a fresh database (SQLite or Postgres: the types above are valid in both). */
export const CEILING_SCHEMA = [
  `CREATE TABLE deliveries (${COLUMNS})`,
  "CREATE INDEX deliveries_received ON deliveries (received_at, id)",
  "CREATE INDEX deliveries_endpoint_received ON deliveries (endpoint, received_at, id)",
  "CREATE INDEX deliveries_status_received ON deliveries (status, received_at, id)",
  "CREATE UNIQUE INDEX deliveries_webhook_id ON deliveries (webhook_id, endpoint) WHERE webhook_id IS NOT NULL",
  "CREATE INDEX deliveries_scope_received ON deliveries (scope, received_at, id)",
  "CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at, id) WHERE next_attempt_at IS NOT NULL",
  `CREATE TABLE delivery_attempts (${ATTEMPT_COLUMNS})`,
];

/** The columns a received delivery fills (the rest default or stay NULL), in insert order. */
export const INSERT_COLUMNS = [
  "id", "endpoint", "body", "headers", "url", "webhook_id", "scope", "action", "repo_type", "repo_name", "status",
  "attempts", "max_attempts", "attempt_budget", "next_attempt_at", "lease_until", "started_at", "received_at", "updated_at",
];

/**
 * The row of one received delivery, as hubhooks stores it: the body as received, the headers (minus the secret)
 * as JSON, the payload's event and repo columns. `running` = handed straight to the (in-process) handler, leased.
 */
export function deliveryRow(id, webhookId, bodyText, headers, url, payload, now, running) {
  return [
    id, "noop", bodyText, JSON.stringify(headers), url, webhookId ?? null,
    payload?.event?.scope ?? null, payload?.event?.action ?? null, payload?.repo?.type ?? null, payload?.repo?.name ?? null,
    running ? "running" : "queued", running ? 1 : 0, 3, 3, now, running ? now + 30_000 : null, running ? now : null, now, now,
  ];
}

/** Headers worth storing: all but the secret (what hubhooks stores, minus its hop-by-hop filtering). */
export function storedHeaders(raw) {
  const out = {};
  for (const name in raw) if (name !== "x-webhook-secret") out[name] = raw[name];
  return out;
}
