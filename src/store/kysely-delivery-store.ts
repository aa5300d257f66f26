import type { Kysely } from "kysely";
import { HubhooksError } from "../errors.js";
import type { StoreSchema } from "./schema.js";
import type { QueueStats } from "./statements/queue-stats.js";
import type { DeliveryHealthRow } from "./statements/delivery-health.js";
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
interface Parts {
  db: Kysely<StoreSchema>;
  verbs: typeof import("./kysely-verbs.js");
}

export abstract class KyselyDeliveryStore implements DeliveryStore {
  abstract readonly engine: string;
  abstract readonly driver: string;
  abstract readonly capabilities: StoreCapabilities;
  #db: Kysely<StoreSchema> | undefined;
  readonly #open: (() => Promise<Kysely<StoreSchema>>) | undefined;
  #loading: Promise<Parts> | undefined;

  /** `db`: the kysely instance, or a function that makes it on the first statement that needs it (kysely loads then). */
  constructor(db: Kysely<StoreSchema> | (() => Promise<Kysely<StoreSchema>>)) {
    if (typeof db === "function") this.#open = db;
    else this.#db = db;
  }

  /** The kysely instance, for queries this interface doesn't cover (dashboards, exports); see `kysely()`. */
  get db(): Kysely<StoreSchema> {
    if (!this.#db) throw new HubhooksError("INTERNAL", "This store loads kysely on first use: await store.kysely() before reading store.db.");
    return this.#db;
  }

  /** The kysely instance, made (and kysely loaded) if this store has not needed it yet. */
  async kysely(): Promise<Kysely<StoreSchema>> {
    return (await this.#parts()).db;
  }

  /** Whether kysely was loaded (a store that never needed it has nothing of it to close). */
  protected get kyselyLoaded(): boolean {
    return this.#db !== undefined;
  }

  #parts(): Promise<Parts> {
    this.#loading ??= Promise.all([this.#db ?? this.#open!(), import("./kysely-verbs.js")]).then(([db, verbs]) => {
      this.#db = db;
      return { db, verbs };
    });
    return this.#loading;
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

  async migrate(): Promise<void> {
    const { db, verbs } = await this.#parts();
    return verbs.migrateStore(db);
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
  async get(id: string): Promise<DeliveryRecord | null> {
    const { db, verbs } = await this.#parts();
    return verbs.getDelivery(db, id);
  }
  async attempts(id: string): Promise<AttemptRecord[]> {
    const { db, verbs } = await this.#parts();
    return verbs.listAttempts(db, id);
  }
  async list(filter: DeliveryFilter, page: { limit: number; cursor?: string }): Promise<DeliveryPage> {
    const { db, verbs } = await this.#parts();
    return verbs.listDeliveries(db, filter, page);
  }
  async count(filter: DeliveryFilter): Promise<number> {
    const { db, verbs } = await this.#parts();
    return verbs.countDeliveries(db, filter);
  }
  async replay(id: string, now: number): Promise<DeliveryRecord | null> {
    const { db, verbs } = await this.#parts();
    return verbs.replayDelivery(db, id, now);
  }
  async replayMatching(filter: DeliveryFilter, now: number): Promise<number> {
    const { db, verbs } = await this.#parts();
    return verbs.replayMatching(db, filter, now);
  }
  async countsByStatus(): Promise<Record<DeliveryStatus, number>> {
    const { db, verbs } = await this.#parts();
    return verbs.countsByStatus(db);
  }
  async queueStats(now: number): Promise<QueueStats> {
    const { db, verbs } = await this.#parts();
    return verbs.queueStats(db, now);
  }
  async deliveryHealth(since: number): Promise<DeliveryHealthRow[]> {
    const { db, verbs } = await this.#parts();
    return verbs.deliveryHealth(db, since);
  }
}
