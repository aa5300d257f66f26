import { DatabaseSync } from "node:sqlite";
import pg from "pg";

/** A delivery row as the invariants read it (times in ms, numbers as numbers on both engines). */
export interface RowView {
  id: string;
  endpoint: string;
  status: string;
  repoName: string | null;
  orderingKey: string | null;
  nextAttemptAt: number | null;
  leaseUntil: number | null;
  attempts: number;
  maxAttempts: number;
  receivedAt: number;
  webhookId: string | null;
  error: string | null;
}

export interface AttemptView {
  deliveryId: string;
  attempt: number;
  startedAt: number;
  finishedAt: number | null;
  outcome: string;
}

/**
 * The observer's own read-only connection to the log, outside every simulated process (it never crashes): the
 * invariants read the truth from here. Raw SQL, identical on both engines, because it runs at every step.
 */
export interface LogView {
  unsettled(): Promise<RowView[]>;
  rows(): Promise<RowView[]>;
  attempts(): Promise<AttemptView[]>;
  /** Remove the log (Postgres: its schema); SQLite's files are removed by the engine. */
  drop(): Promise<void>;
  close(): Promise<void>;
}

const COLUMNS = "id, endpoint, status, repo_name, ordering_key, next_attempt_at, lease_until, attempts, max_attempts, received_at, webhook_id, error";
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toRow(r: Record<string, unknown>): RowView {
  return {
    id: String(r.id), endpoint: String(r.endpoint), status: String(r.status), repoName: (r.repo_name as string | null) ?? null, orderingKey: (r.ordering_key as string | null) ?? null,
    nextAttemptAt: num(r.next_attempt_at), leaseUntil: num(r.lease_until), attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts), receivedAt: Number(r.received_at), webhookId: (r.webhook_id as string | null) ?? null,
    error: (r.error as string | null) ?? null,
  };
}
function toAttempt(r: Record<string, unknown>): AttemptView {
  return { deliveryId: String(r.delivery_id), attempt: Number(r.attempt), startedAt: Number(r.started_at), finishedAt: num(r.finished_at), outcome: String(r.outcome) };
}

export function sqliteLogView(path: string): LogView {
  const db = new DatabaseSync(path, { readOnly: true });
  const unsettled = db.prepare(`SELECT ${COLUMNS} FROM deliveries WHERE status IN ('queued', 'retrying', 'running')`);
  const rows = db.prepare(`SELECT ${COLUMNS} FROM deliveries ORDER BY received_at, id`);
  const attempts = db.prepare("SELECT delivery_id, attempt, started_at, finished_at, outcome FROM delivery_attempts ORDER BY delivery_id, attempt");
  return {
    unsettled: async () => unsettled.all().map((r) => toRow(r as Record<string, unknown>)),
    rows: async () => rows.all().map((r) => toRow(r as Record<string, unknown>)),
    attempts: async () => attempts.all().map((r) => toAttempt(r as Record<string, unknown>)),
    drop: async () => {},
    close: async () => db.close(),
  };
}

export async function postgresLogView(url: string, schema: string): Promise<LogView> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = async (sql: string) => (await client.query(sql)).rows as Array<Record<string, unknown>>;
  const t = (name: string) => `"${schema}".${name}`;
  return {
    unsettled: async () => (await q(`SELECT ${COLUMNS} FROM ${t("deliveries")} WHERE status IN ('queued', 'retrying', 'running')`)).map(toRow),
    rows: async () => (await q(`SELECT ${COLUMNS} FROM ${t("deliveries")} ORDER BY received_at, id`)).map(toRow),
    attempts: async () =>
      (await q(`SELECT delivery_id, attempt, started_at, finished_at, outcome FROM ${t("delivery_attempts")} ORDER BY delivery_id, attempt`)).map(toAttempt),
    drop: async () => void (await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)),
    close: () => client.end(),
  };
}
