import type { Kysely } from "kysely";
import { migrateStore } from "./migrate.js";
import type { StoreSchema } from "./schema.js";
import { countDeliveries } from "./statements/count-deliveries.js";
import { listDeliveries } from "./statements/list-deliveries.js";
import { countsByStatus, queueStats, type QueueStats } from "./statements/queue-stats.js";
import { deliveryHealth, type DeliveryHealthRow } from "./statements/delivery-health.js";
import { getDelivery, listAttempts } from "./statements/read-delivery.js";
import { replayDelivery, replayMatching } from "./statements/replay-deliveries.js";
import type {
  AttemptRecord, ClaimInput, ClaimManyInput, CompleteInput, DeliveryFilter, DeliveryPage, DeliveryRecord,
  DeliveryStatus, DeliveryStore, FailInput, NewDelivery, RecordResult, SettleInput, StoreCapabilities, WriteBatch,
  WriteBatchResult,
} from "./types.js";

/**
 * The engine-neutral half of a `DeliveryStore`: everything off the per-delivery path (migrations, the
 * dashboard's reads, replay, retention) as kysely statements in `statements/`, one module each. An engine
 * (`sqlite/`, `postgres/`) extends it with the hot verbs, written for its driver: record, claim, settle,
 * lease renewal and the wake-up query run once or more per delivery and are prepared once, on the driver.
 * @example
 * class MyStore extends KyselyDeliveryStore { ... } // implements recordMany, claimMany, settleMany, ...
 */
export abstract class KyselyDeliveryStore implements DeliveryStore {
  abstract readonly engine: string;
  abstract readonly driver: string;
  abstract readonly capabilities: StoreCapabilities;
  readonly #db: Kysely<StoreSchema>;

  constructor(db: Kysely<StoreSchema>) {
    this.#db = db;
  }

  /** The kysely instance, for queries this interface doesn't cover (dashboards, exports). */
  get db(): Kysely<StoreSchema> {
    return this.#db;
  }

  /** The engine's one write verb: records, settles and a claim in one transaction (the others derive from it). */
  abstract writeBatch(batch: WriteBatch): Promise<WriteBatchResult>;
  abstract claim(input: ClaimInput): Promise<DeliveryRecord | null>;
  /** Retention, on the engine's own connection (SQLite: no kysely transaction across awaits; Postgres: one replica). */
  abstract prune(input: { succeededBefore: number }): Promise<number>;
  abstract extendLease(id: string, attempt: number, leaseUntil: number): Promise<boolean>;
  abstract nextDueAt(endpoints: string[], after?: number): Promise<number | null>;
  abstract close(): Promise<void>;

  async recordMany(inputs: readonly NewDelivery[]): Promise<RecordResult[]> {
    return (await this.writeBatch({ records: inputs, settles: [] })).records;
  }
  async settleMany(inputs: readonly SettleInput[]): Promise<boolean[]> {
    return (await this.writeBatch({ records: [], settles: inputs })).settles;
  }
  async claimMany(input: ClaimManyInput): Promise<DeliveryRecord[]> {
    if (!input.slots.some((s) => s.limit > 0)) return [];
    return (await this.writeBatch({ records: [], settles: [], claim: input })).claimed;
  }

  migrate(): Promise<void> {
    return migrateStore(this.#db);
  }
  async record(input: NewDelivery): Promise<RecordResult> {
    return (await this.recordMany([input]))[0]!;
  }
  async complete(id: string, attempt: number, input: CompleteInput): Promise<boolean> {
    return (await this.settleMany([{ id, attempt, kind: "complete", ...input }]))[0]!;
  }
  async fail(id: string, attempt: number, input: FailInput): Promise<boolean> {
    return (await this.settleMany([{ id, attempt, kind: "fail", ...input }]))[0]!;
  }
  get(id: string): Promise<DeliveryRecord | null> {
    return getDelivery(this.#db, id);
  }
  attempts(id: string): Promise<AttemptRecord[]> {
    return listAttempts(this.#db, id);
  }
  list(filter: DeliveryFilter, page: { limit: number; cursor?: string }): Promise<DeliveryPage> {
    return listDeliveries(this.#db, filter, page);
  }
  count(filter: DeliveryFilter): Promise<number> {
    return countDeliveries(this.#db, filter);
  }
  replay(id: string, now: number): Promise<DeliveryRecord | null> {
    return replayDelivery(this.#db, id, now);
  }
  replayMatching(filter: DeliveryFilter, now: number): Promise<number> {
    return replayMatching(this.#db, filter, now);
  }
  countsByStatus(): Promise<Record<DeliveryStatus, number>> {
    return countsByStatus(this.#db);
  }
  queueStats(now: number): Promise<QueueStats> {
    return queueStats(this.#db, now);
  }
  deliveryHealth(since: number): Promise<DeliveryHealthRow[]> {
    return deliveryHealth(this.#db, since);
  }
}
