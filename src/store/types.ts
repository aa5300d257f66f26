import type { DeliveryHealthRow } from "./statements/delivery-health.js";
import type { QueueStats } from "./statements/queue-stats.js";

export type { QueueStats };

/**
 * The durable delivery log: what the server records and what the queue claims, runs and settles.
 * Every time is milliseconds since the epoch and comes from the caller (an injected clock), never from
 * the database's own clock, so a fake clock drives retries identically on every database.
 */

/**
 * Lifecycle of a delivery.
 * `retrying` = the last attempt failed and a retry is scheduled at `nextAttemptAt` (the word of the 202 answer; a
 * `failed` read as final to anyone who has used a queue, so the log calls it what it is: migration 008);
 * `dead` = no attempt left (or the handler threw a `NonRetryableError`);
 * `skipped` = no handler applied (no route matched, a repo filter): settled, with the reason in `error`;
 * `invalid` = the payload failed validation (quarantined, never run; replay re-validates), issues in `error`.
 */
export type DeliveryStatus = "queued" | "running" | "succeeded" | "retrying" | "dead" | "skipped" | "invalid";

/**
 * All statuses, in lifecycle order (handy for filters, gauges and UIs).
 * @example
 * DELIVERY_STATUSES.includes(query.status as DeliveryStatus); // validate a filter from a URL
 */
export const DELIVERY_STATUSES = ["queued", "running", "succeeded", "retrying", "dead", "skipped", "invalid"] as const satisfies readonly DeliveryStatus[];

/** What the server records for one incoming webhook call. */
export interface NewDelivery {
  endpoint: string;
  /** The raw request body, exactly as received. */
  body: string;
  /** Request headers; the secret header is removed before storage (see `redactHeaders`). */
  headers: Record<string, string>;
  /** The URL the delivery was posted to, as received (without `?secret=`). */
  url?: string | null;
  /** The `Webhook-Id` header: stable across the Hub's retries and "Replay" clicks; the deduplication key. */
  webhookId: string | null;
  scope: string | null;
  action: string | null;
  repoType: string | null;
  repoName: string | null;
  /** Deliveries sharing a key never run at the same time (e.g. the repo name). */
  orderingKey: string | null;
  /** Attempt budget of one series of attempts (the endpoint's `retry.maxAttempts`). */
  maxAttempts: number;
  now: number;
  /**
   * In-process hand-off: when set and the row is new, it is inserted already claimed (running, attempt 1,
   * lease until this time), so the recording process runs it from memory with no claim round trip. A
   * duplicate or a re-queued row ignores it (check `delivery.status === "running"`).
   */
  leaseUntil?: number;
  /**
   * Quarantine: the payload failed validation (these are its issues). The row is recorded `invalid`, settled at
   * once and never run until replayed. Ignored for a duplicate.
   */
  invalid?: string;
  /**
   * The trace context (W3C `traceparent`) of the request that recorded it: every attempt's span links to it. A Hub
   * re-delivery that queues a failed one again replaces it when it has one.
   */
  traceparent?: string | null;
}

/** One stored delivery. */
export interface DeliveryRecord {
  /** `dlv_` + a time-sortable random id. */
  id: string;
  endpoint: string;
  status: DeliveryStatus;
  /** Attempts ever made, across replays; never decreases, so an attempt number is never reused. */
  attempts: number;
  /** Attempts allowed so far: `attempts` at the start of the current series + `attemptBudget`. */
  maxAttempts: number;
  /** Attempts granted to one series (a record, a replay, a Hub re-delivery of a failed one). */
  attemptBudget: number;
  /** When the current (or next) attempt became (or becomes) due; null once settled. */
  nextAttemptAt: number | null;
  /** While running: until when the worker's claim holds. */
  leaseUntil: number | null;
  /** When the current or last attempt was claimed. */
  startedAt: number | null;
  webhookId: string | null;
  scope: string | null;
  action: string | null;
  repoType: string | null;
  repoName: string | null;
  orderingKey: string | null;
  headers: Record<string, string>;
  /** The URL as received (null for rows recorded before it was stored). */
  url: string | null;
  body: string;
  /** The handler's JSON result (parsed), or undefined if none yet. */
  result: unknown;
  error: string | null;
  durationMs: number | null;
  receivedAt: number;
  updatedAt: number;
  finishedAt: number | null;
  /** Routes (steps) that succeeded in an earlier attempt that then failed: a retry skips them. */
  completedSteps: string[];
  /** W3C traceparent of the request that recorded it (null: not traced). */
  traceparent: string | null;
}

/**
 * How one attempt ended. `lease-expired`: the worker stopped renewing its lease (crash, hang). `interrupted`: the
 * server shut down past its grace period and aborted the handler; that attempt is given back (not counted).
 * `deferred`: a debounced or throttled route put the delivery back in the queue until its time (not a failure).
 */
export type AttemptOutcome =
  | "succeeded" | "failed" | "timeout" | "non-retryable" | "lease-expired" | "skipped" | "invalid" | "interrupted"
  | "deferred";

/** One row of a delivery's attempt history. */
export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  startedAt: number;
  finishedAt: number | null;
  durationMs: number | null;
  outcome: AttemptOutcome;
  error: string | null;
  stack: string | null;
}

/** Filters for listing, counting and bulk replay. All given fields must match. */
export interface DeliveryFilter {
  endpoint?: string;
  status?: DeliveryStatus | DeliveryStatus[];
  /** Exact event scope, e.g. `repo.content`. */
  scope?: string;
  /** Case-insensitive substring of the repo name. */
  repo?: string;
  repoType?: string;
  /** Received at or after (inclusive). */
  since?: number;
  /** Received before (exclusive). */
  until?: number;
}

/** Result of `record`: a new row, an unchanged duplicate, or a failed/dead one queued again. */
export type RecordOutcome = "created" | "duplicate" | "requeued";

/** Input of `claim`. */
export interface ClaimInput {
  now: number;
  leaseMs: number;
  endpoints: string[];
}

/** Input of `claimMany`: up to `limit` due deliveries for each endpoint (its free slots). */
export interface ClaimManyInput {
  now: number;
  leaseMs: number;
  slots: ReadonlyArray<{ endpoint: string; limit: number }>;
}

/** What `record`/`recordMany` answers for one delivery. */
export interface RecordResult {
  delivery: DeliveryRecord;
  outcome: RecordOutcome;
}

/** What one group commit writes. */
export interface WriteBatch {
  records: readonly NewDelivery[];
  settles: readonly SettleInput[];
  /** A claim for the slots the settles freed, in the same transaction (after the records and settles). */
  claim?: ClaimManyInput;
}

/** What `writeBatch` answers, in input order. */
export interface WriteBatchResult {
  records: RecordResult[];
  settles: boolean[];
  /** What `claim` claimed (empty without one). */
  claimed: DeliveryRecord[];
}

/** One attempt to settle in `settleMany`, fenced by its attempt number. */
export type SettleInput =
  | ({ id: string; attempt: number; kind: "complete" } & CompleteInput)
  | ({ id: string; attempt: number; kind: "fail" } & FailInput)
  /** Settled without running: `skipped` (no handler applied) or `invalid` (the payload failed validation again). */
  | { id: string; attempt: number; kind: "skip"; as: "skipped" | "invalid"; now: number; startedAt: number; reason: string }
  /**
   * Back to `queued` until `until` (a debounced or throttled route waits): the attempt is given back to the budget,
   * the steps done so far are kept, `reason` is shown as the error.
   */
  | { id: string; attempt: number; kind: "defer"; now: number; startedAt: number; until: number; reason: string; completedSteps: readonly string[] };

/** Which schedule `updateSchedule` reads and writes: one per endpoint, route step and key. */
export interface ScheduleId {
  endpoint: string;
  step: string;
  key: string;
}

/**
 * A change another process made to the log, as an engine that has cross-process notifications reports it
 * (`subscribe`). `queued`: it left work for any replica to claim.
 */
export interface StoreNotice {
  kind: "recorded" | "claimed" | "settled" | "replayed" | "bulk";
  id?: string;
  queued: boolean;
}

/**
 * What an engine can do, so the queue and server pick the right strategy without knowing the engine.
 * @example
 * if (!store.capabilities.crossProcessWakeups) queue.pollEvery(5_000);
 */
export interface StoreCapabilities {
  /** Writes by another process wake this one (Postgres LISTEN/NOTIFY); without it the queue polls. */
  crossProcessWakeups: boolean;
  /** Concurrent claimers skip each other's locked rows instead of waiting (Postgres `FOR UPDATE SKIP LOCKED`). */
  skipLocked: boolean;
  /** Statements run synchronously on the event loop (node:sqlite): one batch per turn of the loop. */
  synchronous: boolean;
}

/** Input of `complete`. */
export interface CompleteInput {
  now: number;
  startedAt: number;
  result: unknown;
}

/** Input of `fail`. */
export interface FailInput {
  now: number;
  startedAt: number;
  error: string;
  stack: string | null;
  outcome: AttemptOutcome;
  /** When to retry; null means dead. */
  nextAttemptAt: number | null;
  /** Every step that has succeeded so far (earlier attempts' and this one's); the next attempt skips them. */
  completedSteps?: readonly string[];
  /**
   * Not the handler's failure (a shutdown aborted it): the delivery goes back to `queued`, due at `nextAttemptAt`,
   * with one more attempt allowed, so the aborted one does not use up its budget. The history keeps the attempt.
   */
  refund?: boolean;
}

/** A page of `list`. */
export interface DeliveryPage {
  items: DeliveryRecord[];
  nextCursor: string | null;
}

/**
 * The durable delivery log and job queue. Implementations must keep every rule in one database
 * statement (or one transaction) so several processes can share one database: there is no
 * in-process lock behind any of these guarantees.
 * @example
 * const store = await createSqliteStore({ path: ":memory:" }); // or createPostgresStore(...)
 * await store.migrate();
 * const { delivery } = await store.record({ endpoint: "sync", body: "{}", headers: {}, webhookId: null,
 *   scope: null, action: null, repoType: null, repoName: null, orderingKey: null, maxAttempts: 5, now: Date.now() });
 * const claimed = await store.claim({ now: Date.now(), leaseMs: 30_000, endpoints: ["sync"] });
 * await store.complete(claimed!.id, claimed!.attempts, { now: Date.now(), startedAt: Date.now(), result: { ok: true } });
 */
export interface DeliveryStore {
  /** The engine, e.g. `sqlite` or `postgres`. */
  readonly engine: string;
  /** Which database driver is in use, e.g. `node:sqlite` or `pg`. */
  readonly driver: string;
  readonly capabilities: StoreCapabilities;
  /** Apply pending numbered migrations (idempotent). */
  migrate(): Promise<void>;
  /**
   * Dedupe on (endpoint, webhookId) when webhookId is set: an existing queued/running/succeeded/skipped one →
   * "duplicate" (returned unchanged); an existing retrying/dead/invalid one → queued again with nextAttemptAt=now and
   * its attempt budget renewed → "requeued" (what a Hub "Replay" means); else insert → "created".
   */
  record(input: NewDelivery): Promise<RecordResult>;
  /**
   * `record` for many deliveries in ONE transaction (group commit): results in input order, all or none
   * committed. Dedupe is exact inside the batch: a second copy of a `Webhook-Id` is a "duplicate" of the first.
   */
  recordMany(inputs: readonly NewDelivery[]): Promise<RecordResult[]>;
  /**
   * One `UPDATE ... RETURNING`: the oldest due delivery (queued/failed with nextAttemptAt <= now, or running
   * with an expired lease) among `endpoints`, skipping those whose orderingKey has another delivery running
   * under a live lease; it becomes running with attempts+1 and leaseUntil = now+leaseMs. A lost attempt
   * (expired lease) is written to the history as "lease-expired".
   */
  claim(input: ClaimInput): Promise<DeliveryRecord | null>;
  /**
   * Claim up to each endpoint's `limit` due deliveries at once (oldest first, ordering keys respected: at most
   * one running delivery per key), with the same lease and attempt counting as `claim`.
   */
  claimMany(input: ClaimManyInput): Promise<DeliveryRecord[]>;
  /** Settle as succeeded; only if still running with that attempt number (a late worker can't clobber a re-claim). */
  complete(id: string, attempt: number, input: CompleteInput): Promise<boolean>;
  /** Settle an attempt as failed (retry at nextAttemptAt) or dead (nextAttemptAt null); same guard as `complete`. */
  fail(id: string, attempt: number, input: FailInput): Promise<boolean>;
  /**
   * `complete`/`fail` for many attempts in ONE transaction; each is applied only if its delivery is still
   * running with that attempt number (an attempt whose lease was lost cannot overwrite a newer one).
   * Answers, in input order, whether each one was applied.
   */
  settleMany(inputs: readonly SettleInput[]): Promise<boolean[]>;
  /**
   * `recordMany`, `settleMany` and `claimMany` together, in one transaction where the engine can (the group
   * commit's verb: a draining queue settles and claims in one commit): results as the three verbs give them; if
   * the write fails, all of it fails.
   */
  writeBatch(batch: WriteBatch): Promise<WriteBatchResult>;
  /** Renew the lease of a running attempt; false if the attempt is no longer the current one. */
  extendLease(id: string, attempt: number, leaseUntil: number): Promise<boolean>;
  get(id: string): Promise<DeliveryRecord | null>;
  /** Attempt history, oldest first. */
  attempts(id: string): Promise<AttemptRecord[]>;
  /** Newest first, keyset pagination (the cursor is opaque). */
  list(filter: DeliveryFilter, page: { limit: number; cursor?: string }): Promise<DeliveryPage>;
  count(filter: DeliveryFilter): Promise<number>;
  /** A new series of attempts: queued, due now, budget renewed, history kept. Null if missing or running. */
  replay(id: string, now: number): Promise<DeliveryRecord | null>;
  /** `replay` for every non-running delivery matching the filter; returns how many. */
  replayMatching(filter: DeliveryFilter, now: number): Promise<number>;
  /**
   * Delete succeeded deliveries (and their attempts) finished before a time, and the debounce/throttle schedules
   * settled (no delivery pending) and untouched since then; returns how many deliveries.
   */
  prune(input: { succeededBefore: number }): Promise<number>;
  countsByStatus(): Promise<Record<DeliveryStatus, number>>;
  /**
   * The backlog for the queue gauges, cheap at any log size: unsettled deliveries by status, and since when the
   * oldest overdue one has waited (`oldestDueAt`, null when nothing is overdue at `now`).
   */
  queueStats(now: number): Promise<QueueStats>;
  /** The dashboard's health strip: deliveries received since `since`, grouped (one statement; see delivery-health.ts). */
  deliveryHealth?(since: number): Promise<DeliveryHealthRow[]>;
  /**
   * Earliest nextAttemptAt (queued/retrying) or leaseUntil (running) among `endpoints`, to arm a wake-up
   * timer; with `after`, only times strictly after it.
   */
  nextDueAt(endpoints: string[], after?: number): Promise<number | null>;
  /**
   * Read, change and write one debounce/throttle schedule atomically (one transaction holding the row; concurrent
   * callers, in this process or another, run one after the other). `decide` is synchronous and gets the stored state
   * (null at first); what it returns as `state` is stored (JSON), `value` is answered.
   */
  updateSchedule?<T>(id: ScheduleId, now: number, decide: (state: unknown) => { state: unknown; value: T }): Promise<T>;
  /**
   * Changes made by OTHER processes, where the engine can tell (`capabilities.crossProcessWakeups`): the queue wakes
   * on them and the dashboard's live feed shows them. Returns a function that stops listening.
   */
  subscribe?(listener: (notice: StoreNotice) => void): () => void;
  /**
   * Throws unless the log can be written now (SQLite: the write lock can be taken; Postgres: the server is not a
   * read-only standby). `/readyz` asks it; an engine without it counts as writable once open.
   */
  checkWritable?(): Promise<void>;
  close(): Promise<void>;
}
