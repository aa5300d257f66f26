import type { Kysely } from "kysely";
import type { Pool, PoolClient, QueryConfig, QueryResultRow } from "pg";
import { KyselyDeliveryStore } from "../kysely-delivery-store.js";
import { migrateStore } from "../migrate.js";
import { newDeliveryId } from "../delivery-id.js";
import { redactHeaders } from "../redact-headers.js";
import { newDeliveryRecord, resultToJson, toDeliveryRecord } from "../row-mapping.js";
import type { DeliveryRow, StoreSchema } from "../schema.js";
import type {
  ClaimInput, ClaimManyInput, DeliveryRecord, NewDelivery, RecordResult, ScheduleId, SettleInput, StoreCapabilities, StoreNotice,
  WriteBatch, WriteBatchResult,
} from "../types.js";
import { ChangeListener } from "./change-listener.js";
import { CHANGES_CHANNEL, LEASE_EXPIRED_ERROR, hotSql, type HotSql } from "./hot-sql.js";

/** Far enough in the past that every time is after it (nextDueAt without `after`). */
const DAWN = -8.64e15;
/** pg_notify payloads are limited to 8000 bytes: ids go out in chunks well under it. */
const IDS_PER_NOTICE = 150;

type Queryable = Pick<PoolClient, "query">;

/** What the Postgres store needs besides its pool. */
export interface PostgresStoreParts {
  db: Kysely<StoreSchema>;
  pool: Pool;
  schema: string;
  /** Opens a dedicated connection for LISTEN. */
  connect: () => Promise<PoolClient>;
  /** Closes the pool when the store closes (false for a pool the application passed in). */
  ownsPool: boolean;
  logger?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/**
 * The Postgres engine: the same semantics as SQLite across any number of replicas. Claims take rows with
 * `FOR UPDATE SKIP LOCKED` (keyed deliveries one at a time under an advisory lock on their key, so a key has one
 * running delivery in the whole cluster); a group commit is one transaction of array statements; settles are fenced
 * by the attempt number; every batch NOTIFYs the other replicas (wake-up and the dashboard's live feed), polling
 * being only the safety net.
 * @example
 * const store = await createPostgresStore({ url: "postgres://hubhooks@db:5432/app" });
 */
interface RecordRow {
  input: NewDelivery;
  id: string;
  headers: Record<string, string>;
  leased: boolean;
  invalid: boolean;
}

export class PostgresDeliveryStore extends KyselyDeliveryStore {
  readonly engine = "postgres";
  readonly driver = "pg";
  readonly capabilities: StoreCapabilities = { crossProcessWakeups: true, skipLocked: true, synchronous: false };
  /** Tells this replica's notices from the others'. */
  readonly origin = newDeliveryId(Date.now()).slice(4);
  readonly #parts: PostgresStoreParts;
  readonly #sql: HotSql;
  readonly #listener: ChangeListener;
  #closed: Promise<void> | undefined;

  constructor(parts: PostgresStoreParts) {
    super(parts.db);
    this.#parts = parts;
    this.#sql = hotSql(parts.schema);
    this.#listener = new ChangeListener({ connect: parts.connect, channel: CHANGES_CHANNEL, origin: this.origin, logger: parts.logger });
  }

  /** Throws when the server answers read-only (a standby, `default_transaction_read_only`) or not at all. */
  async checkWritable(): Promise<void> {
    const { rows } = await this.#parts.pool.query<{ ro: boolean; tro: string }>(
      "SELECT pg_is_in_recovery() AS ro, current_setting('transaction_read_only') AS tro",
    );
    if (rows[0]?.ro || rows[0]?.tro === "on") throw new Error("the Postgres server is read-only");
  }

  /** The pool, for queries this interface doesn't cover. */
  get pool(): Pool {
    return this.#parts.pool;
  }

  /** Create the schema, then the numbered migrations, under an advisory lock: replicas starting together are safe. */
  async migrate(): Promise<void> {
    const client = await this.#parts.pool.connect();
    const lock = `hubhooks:migrate:${this.#parts.schema}`;
    try {
      await client.query("SELECT pg_advisory_lock(hashtext($1))", [lock]);
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.#parts.schema}"`);
        await migrateStore(this.db, { schema: this.#parts.schema });
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext($1))", [lock]);
      }
    } finally {
      client.release();
    }
  }

  /** Notices from the other replicas (their writes), delivered through LISTEN; returns a function that stops. */
  subscribe(listener: (notice: StoreNotice) => void): () => void {
    return this.#listener.add(listener);
  }

  /**
   * One transaction: the array insert, the fenced array settle, the claim, and one NOTIFY (delivered at commit).
   * A batch that records nothing (settles and a claim: a draining queue) commits with `synchronous_commit = off`:
   * it does not wait for the WAL flush. Only a crash of the database itself can lose such a commit, and then the
   * attempt's lease expires and it runs again (at least once), while every recorded delivery stays durable
   * before its 2xx.
   */
  async writeBatch(batch: WriteBatch): Promise<WriteBatchResult> {
    if (batch.settles.length === 0 && !batch.claim && batch.records.length > 0 && batch.records.length <= IDS_PER_NOTICE) {
      return { records: await this.#recordAlone(batch.records), settles: [], claimed: [] };
    }
    const begin = batch.records.length === 0 ? "BEGIN; SET LOCAL synchronous_commit = off" : "BEGIN";
    // The NOTIFY rides in the COMMIT's round trip (one simple query), not one of its own.
    let commit = "COMMIT";
    return this.#transaction(begin, async (client) => {
      const records = batch.records.length > 0 ? await this.#recordAll(client, batch.records) : [];
      const settles = batch.settles.length > 0 ? await this.#settleAll(client, batch.settles) : [];
      const claimed = batch.claim ? await this.#claimAll(client, batch.claim) : [];
      const recorded = records.filter((r) => r.outcome !== "duplicate").map((r) => r.delivery);
      const settled = batch.settles.filter((_, i) => settles[i]).map((s) => s.id);
      commit = this.#notifyText([
        ...recorded.map((d) => ({ kind: "recorded" as const, id: d.id, queued: d.status !== "running" })),
        ...settled.map((id) => ({ kind: "settled" as const, id, queued: false })),
        ...claimed.map((d) => ({ kind: "claimed" as const, id: d.id, queued: false })),
      ]) + "COMMIT";
      return { records, settles, claimed };
    }, () => commit);
  }

  async claim(input: ClaimInput): Promise<DeliveryRecord | null> {
    for (const endpoint of input.endpoints) {
      const [one] = await this.claimMany({ now: input.now, leaseMs: input.leaseMs, slots: [{ endpoint, limit: 1 }] });
      if (one) return one;
    }
    return null;
  }

  async extendLease(id: string, attempt: number, leaseUntil: number): Promise<boolean> {
    const { rowCount } = await this.#query(this.#parts.pool, "hh-extend-lease", this.#sql.extendLease, [id, attempt, leaseUntil]);
    return (rowCount ?? 0) > 0;
  }

  async nextDueAt(endpoints: string[], after?: number): Promise<number | null> {
    if (endpoints.length === 0) return null;
    const { rows } = await this.#query<{ at: string | null }>(this.#parts.pool, "hh-next-due", this.#sql.nextDueAfter, [
      endpoints, after ?? DAWN,
    ]);
    const at = rows[0]?.at;
    return at === null || at === undefined ? null : Number(at);
  }

  async replay(id: string, now: number): Promise<DeliveryRecord | null> {
    const out = await super.replay(id, now);
    if (out) await this.#notify(this.#parts.pool, [{ kind: "replayed", id: out.id, queued: true }]);
    return out;
  }

  async replayMatching(filter: Parameters<KyselyDeliveryStore["replayMatching"]>[0], now: number): Promise<number> {
    const n = await super.replayMatching(filter, now);
    if (n > 0) await this.#notify(this.#parts.pool, [{ kind: "bulk", queued: true }]);
    return n;
  }

  /** Retention on one replica at a time (a transaction-level advisory lock; the others skip this round). */
  async prune(input: { succeededBefore: number }): Promise<number> {
    const deleted = await this.#transaction("BEGIN", async (client) => {
      const { rows } = await client.query<{ locked: boolean }>(this.#sql.pruneLock);
      if (!rows[0]?.locked) return 0;
      const old = `status IN ('succeeded', 'skipped') AND received_at < $1 AND finished_at < $1`;
      const s = `"${this.#parts.schema}"`;
      await client.query(
        `DELETE FROM ${s}.delivery_attempts WHERE delivery_id IN (SELECT id FROM ${s}.deliveries WHERE ${old})`,
        [input.succeededBefore],
      );
      const result = await client.query(`DELETE FROM ${s}.deliveries WHERE ${old}`, [input.succeededBefore]);
      await client.query(this.#sql.pruneSchedules, [input.succeededBefore]);
      return result.rowCount ?? 0;
    });
    if (deleted > 0) await this.#notify(this.#parts.pool, [{ kind: "bulk", queued: false }]);
    return deleted;
  }

  /** Idempotent: stops listening, waits for kysely, closes the pool if it is ours. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#listener.close();
      if (this.#parts.ownsPool) await this.db.destroy(); // ends the pool too
    })();
    return this.#closed;
  }

  /** The rows of a batch of records: their ids, stored headers, and whether each is leased or quarantined. */
  #recordRows(inputs: readonly NewDelivery[]): RecordRow[] {
    return inputs.map((input) => {
      const invalid = input.invalid !== undefined;
      const leased = !invalid && input.leaseUntil !== undefined;
      return { input, id: newDeliveryId(input.now), headers: redactHeaders(input.headers), leased, invalid };
    });
  }

  /** The insert's array parameters, one array per column. */
  #insertParams(rows: readonly RecordRow[]): unknown[] {
    const column = <T>(pick: (r: RecordRow) => T) => rows.map(pick);
    return [
      column((r) => r.id),
      column((r) => r.input.endpoint),
      column((r) => r.input.body),
      column((r) => JSON.stringify(r.headers)),
      column((r) => r.input.url ?? null),
      column((r) => r.input.webhookId),
      column((r) => r.input.scope),
      column((r) => r.input.action),
      column((r) => r.input.repoType),
      column((r) => r.input.repoName),
      column((r) => r.input.orderingKey),
      column((r) => (r.invalid ? "invalid" : r.leased ? "running" : "queued")),
      column((r) => (r.leased ? 1 : 0)),
      column((r) => r.input.maxAttempts),
      column((r) => r.input.now),
      column((r) => (r.leased ? r.input.leaseUntil! : null)),
      column((r) => (r.leased ? r.input.now : null)),
      column((r) => (r.invalid ? null : r.input.now)),
      column((r) => r.input.invalid ?? null),
      column((r) => (r.invalid ? r.input.now : null)),
      column((r) => r.input.traceparent ?? null),
    ];
  }

  /**
   * A batch of records alone (no settle, no claim): ONE statement in autocommit, the insert with its NOTIFY (a
   * single INSERT is atomic and, with the default synchronous_commit, durable when it returns). Duplicates, which need
   * a look at the existing row, then go through a transaction of their own.
   */
  async #recordAlone(inputs: readonly NewDelivery[]): Promise<RecordResult[]> {
    const rows = this.#recordRows(inputs);
    const [payload] = this.#noticePayloads(rows.map((r) => ({ kind: "recorded" as const, id: r.id, queued: !r.leased })));
    const { rows: inserted } = await this.#query<{ id: string }>(this.#parts.pool, "hh-insert-notify", this.#sql.insertManyNotify, [
      ...this.#insertParams(rows), CHANGES_CHANNEL, payload,
    ]);
    const created = new Set(inserted.map((r) => r.id));
    if (created.size === rows.length) return rows.map((r) => ({ delivery: newDeliveryRecord(r.id, r.input, r.headers), outcome: "created" as const }));
    return this.#transaction("BEGIN", async (client) => {
      const out = await this.#recordResults(client, rows, created);
      const requeued = out.filter((r) => r.outcome === "requeued").map((r) => r.delivery);
      await this.#notify(client, requeued.map((d) => ({ kind: "recorded" as const, id: d.id, queued: d.status !== "running" })));
      return out;
    });
  }

  async #recordAll(client: Queryable, inputs: readonly NewDelivery[]): Promise<RecordResult[]> {
    const rows = this.#recordRows(inputs);
    const { rows: inserted } = await this.#query<{ id: string }>(client, "hh-insert-many", this.#sql.insertMany, this.#insertParams(rows));
    return this.#recordResults(client, rows, new Set(inserted.map((r) => r.id)));
  }

  /** Each record's outcome: created, or (its webhook id and endpoint exist) requeued or a duplicate. */
  async #recordResults(client: Queryable, rows: readonly RecordRow[], created: ReadonlySet<string>): Promise<RecordResult[]> {
    const out: RecordResult[] = [];
    for (const row of rows) {
      if (created.has(row.id)) {
        out.push({ delivery: newDeliveryRecord(row.id, row.input, row.headers), outcome: "created" });
        continue;
      }
      // Its (webhook_id, endpoint) exists, committed by another replica or earlier in this batch.
      const { input } = row;
      const requeued = await this.#query<DeliveryRow>(client, "hh-requeue", this.#sql.requeueDuplicate, [
        input.now, input.maxAttempts, input.webhookId, input.endpoint, input.traceparent ?? null,
      ]);
      if (requeued.rows[0]) {
        let again = requeued.rows[0];
        if (row.leased) {
          const taken = await this.#query<DeliveryRow>(client, "hh-lease-requeued", this.#sql.leaseRequeued, [
            again.id, input.now, input.leaseUntil,
          ]);
          again = taken.rows[0] ?? again;
        }
        out.push({ delivery: toDeliveryRecord(again), outcome: "requeued" });
        continue;
      }
      const existing = await this.#query<DeliveryRow>(client, "hh-by-webhook-id", this.#sql.selectByWebhookId, [
        input.webhookId, input.endpoint,
      ]);
      out.push({ delivery: toDeliveryRecord(existing.rows[0]!), outcome: "duplicate" });
    }
    return out;
  }

  async #settleAll(client: Queryable, all: readonly SettleInput[]): Promise<boolean[]> {
    // Deferrals (debounce, throttle) are rare: one statement each, beside the array statement of the others.
    const deferred = new Set<string>();
    for (const s of all) {
      if (s.kind !== "defer") continue;
      const { rows } = await this.#query(client, "hh-settle-defer", this.#sql.settleDefer, [
        s.id, s.attempt, s.until, s.reason, Math.max(0, s.now - s.startedAt), s.now,
        s.completedSteps.length ? JSON.stringify(s.completedSteps) : null, s.startedAt,
      ]);
      if (rows.length > 0) deferred.add(`${s.id}#${s.attempt}`);
    }
    const inputs = all.filter((s): s is Exclude<SettleInput, { kind: "defer" }> => s.kind !== "defer");
    if (inputs.length === 0) return all.map((s) => deferred.has(`${s.id}#${s.attempt}`));
    const shaped = inputs.map((s) => {
      const base = { id: s.id, attempt: s.attempt, durationMs: Math.max(0, s.now - s.startedAt), now: s.now, startedAt: s.startedAt };
      if (s.kind === "complete") {
        return { ...base, status: "succeeded", setResult: true, result: resultToJson(s.result), error: null,
          nextAttemptAt: null, finishedAt: s.now, outcome: "succeeded", stack: null, completedSteps: null, refund: 0 };
      }
      if (s.kind === "skip") {
        return { ...base, status: s.as, setResult: false, result: null, error: s.reason, nextAttemptAt: null,
          finishedAt: s.now, outcome: s.as, stack: null, completedSteps: null, refund: 0 };
      }
      const dead = s.nextAttemptAt === null;
      const refund = s.refund === true && !dead;
      return { ...base, status: refund ? "queued" : dead ? "dead" : "retrying", refund: refund ? 1 : 0, setResult: false, result: null, error: s.error,
        nextAttemptAt: s.nextAttemptAt, finishedAt: dead ? s.now : null, outcome: s.outcome, stack: s.stack,
        completedSteps: s.completedSteps?.length ? JSON.stringify(s.completedSteps) : null };
    });
    const col = <K extends keyof (typeof shaped)[number]>(key: K) => shaped.map((s) => s[key]);
    const { rows } = await this.#query<{ delivery_id: string; attempt: number }>(client, "hh-settle-many", this.#sql.settleMany, [
      col("id"), col("attempt"), col("status"), col("setResult"), col("result"), col("error"), col("durationMs"),
      col("nextAttemptAt"), col("finishedAt"), col("now"), col("startedAt"), col("outcome"), col("stack"), col("completedSteps"),
      col("refund"),
    ]);
    const applied = new Set([...deferred, ...rows.map((r) => `${r.delivery_id}#${r.attempt}`)]);
    return all.map((s) => applied.has(`${s.id}#${s.attempt}`));
  }

  /** Inside a transaction: every slot's batch claim (SKIP LOCKED), then keyed deliveries one at a time. */
  async #claimAll(client: Queryable, input: ClaimManyInput): Promise<DeliveryRecord[]> {
    const slots = input.slots.filter((s) => s.limit > 0);
    if (slots.length === 0) return [];
    const { now } = input;
    const leaseUntil = now + input.leaseMs;
    await this.#recordLostAttempts(client, now, slots.map((s) => s.endpoint));
    const claimed: DeliveryRecord[] = [];
    for (const { endpoint, limit } of slots) {
      const { rows } = await this.#query<DeliveryRow>(client, "hh-claim-batch", this.#sql.claimBatch, [now, leaseUntil, endpoint, limit]);
      const mine = rows.map(toDeliveryRecord);
      for (let free = limit - mine.length; free > 0; free--) {
        const keyed = await this.#claimKeyed(client, now, leaseUntil, endpoint);
        if (!keyed) break;
        mine.push(keyed);
      }
      mine.sort((a, b) => (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0) || (a.id < b.id ? -1 : 1));
      claimed.push(...mine);
    }
    return claimed;
  }

  /** Inside a transaction; its advisory lock on the key is held until that transaction ends. */
  async #claimKeyed(client: Queryable, now: number, leaseUntil: number, endpoint: string): Promise<DeliveryRecord | null> {
    const { rows } = await this.#query<{ id: string; ordering_key: string }>(client, "hh-keyed-candidate", this.#sql.keyedCandidate, [
      now, endpoint,
    ]);
    const candidate = rows[0];
    if (!candidate) return null;
    // Serializes claimers of one key across replicas; the claim re-checks that nothing of the key runs.
    const lock = await client.query<{ locked: boolean }>(this.#sql.keyLock, [`hubhooks:key:${endpoint}:${candidate.ordering_key}`]);
    if (!lock.rows[0]?.locked) return null;
    const claimed = await this.#query<DeliveryRow>(client, "hh-claim-keyed", this.#sql.claimKeyed, [now, leaseUntil, candidate.id]);
    return claimed.rows[0] ? toDeliveryRecord(claimed.rows[0]) : null;
  }

  async #recordLostAttempts(client: Queryable, now: number, endpoints: string[]): Promise<void> {
    const { rows } = await this.#query(client, "hh-lease-check", this.#sql.leaseExpiredCheck, [now, endpoints]);
    if (rows.length === 0) return;
    await this.#query(client, "hh-lost-attempts", this.#sql.recordLostAttempts, [now, endpoints, LEASE_EXPIRED_ERROR]);
    await this.#query(client, "hh-kill-exhausted", this.#sql.killExhausted, [now, endpoints, LEASE_EXPIRED_ERROR]);
  }

  async #notify(client: Queryable, changes: Array<{ kind: StoreNotice["kind"]; id?: string; queued: boolean }>): Promise<void> {
    for (const payload of this.#noticePayloads(changes)) await this.#query(client, "hh-notify", this.#sql.notify, [payload]);
  }

  /**
   * The same notices as SQL text to send with the COMMIT (`SELECT pg_notify(…); … COMMIT` is one round trip). The
   * payload is JSON of ids, kinds and this replica's origin (no user text), quoted as a standard SQL literal.
   */
  #notifyText(changes: Array<{ kind: StoreNotice["kind"]; id?: string; queued: boolean }>): string {
    return this.#noticePayloads(changes).map((p) => `SELECT pg_notify('${CHANGES_CHANNEL}', '${p.replaceAll("'", "''")}'); `).join("");
  }

  #noticePayloads(changes: Array<{ kind: StoreNotice["kind"]; id?: string; queued: boolean }>): string[] {
    const out: string[] = [];
    for (let i = 0; i < changes.length; i += IDS_PER_NOTICE) {
      const chunk = changes.slice(i, i + IDS_PER_NOTICE);
      out.push(JSON.stringify({ o: this.origin, q: chunk.some((c) => c.queued), c: chunk.map((c) => [c.kind, c.id ?? null]) }));
    }
    return out;
  }

  /** The row is created if missing, then held (FOR UPDATE) until the transaction ends: replicas take turns. */
  async updateSchedule<T>(id: ScheduleId, now: number, decide: (state: unknown) => { state: unknown; value: T }): Promise<T> {
    const key = [id.endpoint, id.step, id.key];
    return this.#transaction("BEGIN", async (client) => {
      await client.query(this.#sql.scheduleEnsure, [...key, now]);
      let { rows } = await client.query<{ state: string }>(this.#sql.scheduleLock, key);
      if (!rows[0]) {
        // Pruned (settled and past retention) between the two: made again, fresh, so retention leaves it alone now.
        await client.query(this.#sql.scheduleEnsure, [...key, now]);
        ({ rows } = await client.query<{ state: string }>(this.#sql.scheduleLock, key));
      }
      const { state, value } = decide(JSON.parse(rows[0]?.state ?? "null"));
      await client.query(this.#sql.scheduleWrite, [...key, JSON.stringify(state), now]);
      return value;
    });
  }

  async #transaction<T>(begin: string, work: (client: PoolClient) => Promise<T>, commit: () => string = () => "COMMIT"): Promise<T> {
    const client = await this.#parts.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const out = await work(client);
      await client.query(commit());
      return out;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  #query<R extends QueryResultRow>(client: Queryable, name: string, text: string, values: unknown[]) {
    const config: QueryConfig = { name: `${name}-${this.#parts.schema}`, text, values };
    return client.query<R>(config);
  }
}
