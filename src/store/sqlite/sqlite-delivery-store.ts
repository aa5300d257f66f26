import type { Kysely } from "kysely";
import { KyselyDeliveryStore } from "../kysely-delivery-store.js";
import { newDeliveryId } from "../delivery-id.js";
import { redactHeaders } from "../redact-headers.js";
import { newDeliveryRecord, resultToJson, toDeliveryRecord } from "../row-mapping.js";
import type { DeliveryRow, StoreSchema } from "../schema.js";
import type {
  ClaimInput, ClaimManyInput, DeliveryFilter, DeliveryRecord, NewDelivery, RecordResult, ScheduleId, SettleInput,
  StoreCapabilities, WriteBatch, WriteBatchResult,
} from "../types.js";
import * as SQL from "./hot-sql.js";
import type { NodeDatabaseSync, NodeStatementSync } from "./node-sqlite-database.js";
import { isBusy, waitForLock, type SqliteDriverName } from "./open-sqlite.js";
import { DEFAULTS } from "../../defaults.js";
import { MIGRATION_NAMES } from "../migration-names.js";

type Params = Record<string, string | number | null>;

/** Far enough in the past that every time is after it (nextDueAt without `after`). */
const DAWN = -8.64e15;

/**
 * The SQLite engine: the per-delivery verbs run as statements prepared once on `node:sqlite`, synchronously, in
 * explicit transactions (a batch of records or settles is one `BEGIN IMMEDIATE … COMMIT`); the rest is the
 * kysely half over the same connection. Everything runs on one connection, so there is no lock wait inside this
 * process; other processes sharing the file wait up to the busy timeout.
 * @example
 * const store = createSqliteStore({ path: ".hubhooks/hubhooks.db" });
 * const [a, b] = await store.recordMany([first, second]); // one transaction
 */
export class SqliteDeliveryStore extends KyselyDeliveryStore {
  readonly engine = "sqlite";
  readonly driver: SqliteDriverName = "node:sqlite";
  readonly capabilities: StoreCapabilities = { crossProcessWakeups: false, skipLocked: false, synchronous: true };
  readonly #raw: NodeDatabaseSync;
  readonly #statements = new Map<string, NodeStatementSync>();
  readonly #onClose: () => void;
  #closed: Promise<void> | undefined;

  constructor(db: Kysely<StoreSchema> | (() => Promise<Kysely<StoreSchema>>), raw: NodeDatabaseSync, onClose: () => void) {
    super(db);
    this.#raw = raw;
    this.#onClose = onClose;
  }

  async claim(input: ClaimInput): Promise<DeliveryRecord | null> {
    if (input.endpoints.length === 0) return null;
    const endpoints = JSON.stringify(input.endpoints);
    return this.#transaction(() => {
      this.#recordLostAttempts(input.now, endpoints);
      const row = this.#get(SQL.CLAIM_ONE, { now: input.now, lease_until: input.now + input.leaseMs, endpoints });
      return row ? toDeliveryRecord(row) : null;
    });
  }

  /** One transaction: a commit (the WAL write of every page touched) is most of what a small batch costs. */
  async writeBatch(batch: WriteBatch): Promise<WriteBatchResult> {
    return this.#transaction(() => ({
      records: batch.records.map((input) => this.#recordOne(input)),
      settles: batch.settles.map((input) => this.#settleOne(input)),
      claimed: batch.claim ? this.#claimAll(batch.claim) : [],
    }));
  }

  async extendLease(id: string, attempt: number, leaseUntil: number): Promise<boolean> {
    return waitForLock(() => this.#run(SQL.EXTEND_LEASE, { id, attempt, lease_until: leaseUntil }) > 0);
  }

  /**
   * Migrations under the database's write lock (BEGIN IMMEDIATE): several processes starting on one fresh file
   * take turns, and each one after the first finds the migrations applied (kysely's migrator takes no lock of its
   * own on SQLite, so two of them both ran 001 and one failed on hubhooks_migration's unique name).
   */
  override async migrate(): Promise<void> {
    // Already up to date (every start but the first): said by one read on the driver, without loading kysely.
    if (this.#migrated()) return;
    await waitForLock(() => this.#statement("BEGIN IMMEDIATE").run());
    try {
      await super.migrate();
      this.#statement("COMMIT").run();
    } catch (error) {
      this.#rollback();
      throw error;
    }
  }

  // Single statements through kysely: tried again while another process holds the lock.
  override replay(id: string, now: number): Promise<DeliveryRecord | null> {
    return retryWhileLocked(() => super.replay(id, now));
  }
  override replayMatching(filter: DeliveryFilter, now: number): Promise<number> {
    return retryWhileLocked(() => super.replayMatching(filter, now));
  }

  async nextDueAt(endpoints: string[], after?: number): Promise<number | null> {
    if (endpoints.length === 0) return null;
    const row = this.#get(SQL.NEXT_DUE_AFTER, { endpoints: JSON.stringify(endpoints), after: after ?? DAWN });
    const at = row?.at;
    return at === null || at === undefined ? null : Number(at);
  }

  /** Retention on the raw connection: a kysely transaction spans awaits, and another verb could run inside it. */
  async prune(input: { succeededBefore: number }): Promise<number> {
    const params = { before: input.succeededBefore };
    return this.#transaction(() => {
      this.#run(SQL.PRUNE_ATTEMPTS, params);
      const deleted = this.#run(SQL.PRUNE_DELIVERIES, params);
      this.#run(SQL.PRUNE_SCHEDULES, params);
      return deleted;
    });
  }

  /** Synchronous inside BEGIN IMMEDIATE: no other statement of this process runs between the read and the write. */
  async updateSchedule<T>(id: ScheduleId, now: number, decide: (state: unknown) => { state: unknown; value: T }): Promise<T> {
    const params = { endpoint: id.endpoint, step: id.step, key: id.key };
    return this.#transaction(() => {
      const row = this.#get(SQL.SELECT_SCHEDULE, params);
      const { state, value } = decide(row ? JSON.parse(String((row as { state?: unknown }).state)) : null);
      this.#run(SQL.UPSERT_SCHEDULE, { ...params, state: JSON.stringify(state), now });
      return value;
    });
  }

  /** Takes the write lock and gives it back (a read-only file or a lock held too long by another process throws). */
  async checkWritable(): Promise<void> {
    await waitForLock(() => {
      this.#statement("BEGIN IMMEDIATE").run();
      this.#statement("ROLLBACK").run();
    }, 1_000);
  }

  /** Idempotent; waits for kysely's queries in flight. */
  close(): Promise<void> {
    const done = () => {
      this.#statements.clear();
      this.#onClose();
    };
    // A store that never needed kysely has only its own connection to close.
    this.#closed ??= this.kyselyLoaded ? this.db.destroy().finally(done) : Promise.resolve().then(done);
    return this.#closed;
  }

  /** Whether every migration is recorded in `hubhooks_migration` (false when the table is not there yet). */
  #migrated(): boolean {
    try {
      const rows = this.#raw.prepare("SELECT name FROM hubhooks_migration").all() as Array<{ name?: unknown }>;
      const applied = new Set(rows.map((r) => String(r.name)));
      return MIGRATION_NAMES.every((name) => applied.has(name));
    } catch {
      return false;
    }
  }

  #recordOne(input: NewDelivery): RecordResult {
    const invalid = input.invalid !== undefined;
    const leased = !invalid && input.leaseUntil !== undefined;
    const headers = redactHeaders(input.headers);
    const id = newDeliveryId(input.now);
    const inserted = this.#run(SQL.INSERT_DELIVERY, {
      id,
      endpoint: input.endpoint,
      body: input.body,
      headers: JSON.stringify(headers),
      url: input.url ?? null,
      webhook_id: input.webhookId,
      scope: input.scope,
      action: input.action,
      repo_type: input.repoType,
      repo_name: input.repoName,
      ordering_key: input.orderingKey,
      status: invalid ? "invalid" : leased ? "running" : "queued",
      attempts: leased ? 1 : 0,
      max_attempts: input.maxAttempts,
      now: input.now,
      next_attempt_at: invalid ? null : input.now,
      lease_until: leased ? input.leaseUntil! : null,
      started_at: leased ? input.now : null,
      error: input.invalid ?? null,
      finished_at: invalid ? input.now : null,
      traceparent: input.traceparent ?? null,
    });
    if (inserted > 0) return { delivery: newDeliveryRecord(id, input, headers), outcome: "created" };
    // Inside one transaction on the only writer: the row that blocked the insert is there and stays there.
    const key = { webhook_id: input.webhookId, endpoint: input.endpoint };
    const requeued = this.#get(SQL.REQUEUE_DUPLICATE, {
      ...key, now: input.now, max_attempts: input.maxAttempts, traceparent: input.traceparent ?? null,
    });
    if (requeued) {
      const taken = leased ? this.#get(SQL.LEASE_REQUEUED, { id: requeued.id, now: input.now, lease_until: input.leaseUntil! }) : undefined;
      return { delivery: toDeliveryRecord(taken ?? requeued), outcome: "requeued" };
    }
    return { delivery: toDeliveryRecord(this.#get(SQL.SELECT_BY_WEBHOOK_ID, key)!), outcome: "duplicate" };
  }

  #settleOne(input: SettleInput): boolean {
    const duration_ms = Math.max(0, input.now - input.startedAt);
    const guard = { id: input.id, attempt: input.attempt, now: input.now, duration_ms };
    let applied: number;
    let history: { outcome: string; error: string | null; stack: string | null };
    if (input.kind === "complete") {
      applied = this.#run(SQL.SETTLE_COMPLETE, { ...guard, result: resultToJson(input.result) });
      history = { outcome: "succeeded", error: null, stack: null };
    } else if (input.kind === "skip") {
      applied = this.#run(SQL.SETTLE_FAIL, {
        ...guard, status: input.as, error: input.reason, next_attempt_at: null, finished_at: input.now, completed_steps: null,
        refund: 0,
      });
      history = { outcome: input.as, error: input.reason, stack: null };
    } else if (input.kind === "defer") {
      applied = this.#run(SQL.SETTLE_DEFER, {
        ...guard, error: input.reason, next_attempt_at: input.until,
        completed_steps: input.completedSteps.length ? JSON.stringify(input.completedSteps) : null,
      });
      history = { outcome: "deferred", error: input.reason, stack: null };
    } else {
      const dead = input.nextAttemptAt === null;
      const refund = input.refund === true && !dead;
      applied = this.#run(SQL.SETTLE_FAIL, {
        ...guard,
        status: refund ? "queued" : dead ? "dead" : "retrying",
        refund: refund ? 1 : 0,
        error: input.error,
        next_attempt_at: input.nextAttemptAt,
        finished_at: dead ? input.now : null,
        completed_steps: input.completedSteps?.length ? JSON.stringify(input.completedSteps) : null,
      });
      history = { outcome: input.outcome, error: input.error, stack: input.stack };
    }
    if (applied === 0) return false;
    this.#run(SQL.SETTLE_HISTORY, { ...guard, started_at: input.startedAt, ...history });
    return true;
  }

  /** Inside a transaction: every slot's batch claim, then keyed deliveries one at a time for what is left. */
  #claimAll(input: ClaimManyInput): DeliveryRecord[] {
    const slots = input.slots.filter((s) => s.limit > 0);
    if (slots.length === 0) return [];
    const { now } = input;
    const lease_until = now + input.leaseMs;
    this.#recordLostAttempts(now, JSON.stringify(slots.map((s) => s.endpoint)));
    const claimed: DeliveryRecord[] = [];
    for (const { endpoint, limit } of slots) {
      const rows = this.#all(SQL.claimBatchSql(limit), { endpoint, now, lease_until }).map(toDeliveryRecord);
      // Keyed deliveries (ordering keys) one statement each, only for the slots the batch left free.
      for (let free = limit - rows.length; free > 0; free--) {
        const row = this.#get(SQL.CLAIM_ONE, { now, lease_until, endpoints: JSON.stringify([endpoint]) });
        if (!row) break;
        rows.push(toDeliveryRecord(row));
      }
      rows.sort(byDueTime);
      claimed.push(...rows);
    }
    return claimed;
  }

  /**
   * Inside a transaction. A cheap indexed check first; only when it finds an attempt whose lease expired do the two
   * writes run: those attempts get a "lease-expired" history row, and those that were the last allowed die.
   */
  #recordLostAttempts(now: number, endpoints: string): void {
    if (!this.#get(SQL.LEASE_EXPIRED_CHECK, { now, endpoints })) return;
    this.#run(SQL.RECORD_LOST_ATTEMPTS, { now, endpoints, error: SQL.LEASE_EXPIRED_ERROR });
    this.#run(SQL.KILL_EXHAUSTED, { now, endpoints, error: SQL.LEASE_EXPIRED_ERROR });
  }

  /**
   * All or nothing. Every transaction on this connection is one of these, run synchronously from BEGIN to COMMIT,
   * so none can start inside another (kysely's verbs here are single statements). While another process holds
   * the write lock, BEGIN is tried again asynchronously (`waitForLock`): the event loop is never held longer than
   * the short busy timeout, and the BEGIN that succeeds runs its work in the same turn.
   */
  #transaction<T>(work: () => T): Promise<T> {
    return waitForLock(() => {
      this.#statement("BEGIN IMMEDIATE").run();
      return this.#inTransaction(work);
    });
  }

  #inTransaction<T>(work: () => T): T {
    try {
      const out = work();
      this.#statement("COMMIT").run();
      return out;
    } catch (error) {
      this.#rollback();
      throw error;
    }
  }

  /** After a failed statement inside BEGIN … COMMIT: roll back unless SQLite already did. */
  #rollback(): void {
    if (this.#raw.isTransaction === false) return;
    try {
      this.#statement("ROLLBACK").run();
    } catch {
      /* no transaction left to roll back */
    }
  }

  #statement(sql: string): NodeStatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) this.#statements.set(sql, (statement = this.#raw.prepare(sql)));
    return statement;
  }
  #run(sql: string, params: Params): number {
    return Number(this.#statement(sql).run(params).changes);
  }
  #get(sql: string, params: Params): (DeliveryRow & { at?: unknown }) | undefined {
    return this.#statement(sql).get(params) as (DeliveryRow & { at?: unknown }) | undefined;
  }
  #all(sql: string, params: Params): DeliveryRow[] {
    return this.#statement(sql).all(params) as DeliveryRow[];
  }
}

async function retryWhileLocked<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + DEFAULTS.sqliteLockWaitMs;
  for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
    try {
      return await work();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

function byDueTime(a: DeliveryRecord, b: DeliveryRecord): number {
  return (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
