import type { AttemptOutcome, DeliveryStatus } from "./types.js";

/** Row shape of `deliveries`. Times are integer milliseconds since the epoch (BIGINT on Postgres). */
export interface DeliveriesTable {
  id: string;
  endpoint: string;
  body: string;
  /** JSON object, secret removed. */
  headers: string;
  /** The URL as received, without `?secret=` (null before migration 003). */
  url: string | null;
  webhook_id: string | null;
  scope: string | null;
  action: string | null;
  repo_type: string | null;
  repo_name: string | null;
  ordering_key: string | null;
  status: DeliveryStatus;
  attempts: number;
  max_attempts: number;
  attempt_budget: number;
  next_attempt_at: number | null;
  lease_until: number | null;
  started_at: number | null;
  /** JSON text. */
  result: string | null;
  error: string | null;
  duration_ms: number | null;
  received_at: number;
  updated_at: number;
  finished_at: number | null;
  /** JSON array of the step names that succeeded before the last failure (null: none; migration 005). */
  completed_steps: string | null;
  /** W3C traceparent of the request that recorded the delivery (null: not traced, or before migration 006). */
  traceparent: string | null;
}

/** Row shape of `delivery_attempts`; primary key (delivery_id, attempt). */
export interface DeliveryAttemptsTable {
  delivery_id: string;
  attempt: number;
  started_at: number;
  finished_at: number | null;
  duration_ms: number | null;
  outcome: AttemptOutcome;
  error: string | null;
  stack: string | null;
}

/** The kysely database type every statement is written against (SQLite today, Postgres later). */
export interface StoreSchema {
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
}

/** A `deliveries` row as read back. */
export type DeliveryRow = DeliveriesTable;
/** A `delivery_attempts` row as read back. */
export type AttemptRow = DeliveryAttemptsTable;
