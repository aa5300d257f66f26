import type { Kysely } from "kysely";
import { migrateStore } from "./migrate.js";
import type { StoreSchema } from "./schema.js";
import { claimDelivery } from "./statements/claim-delivery.js";
import { countDeliveries } from "./statements/count-deliveries.js";
import { extendLease } from "./statements/extend-lease.js";
import { listDeliveries } from "./statements/list-deliveries.js";
import { pruneDeliveries } from "./statements/prune-deliveries.js";
import { countsByStatus, nextDueAt } from "./statements/queue-stats.js";
import { getDelivery, listAttempts } from "./statements/read-delivery.js";
import { recordDelivery } from "./statements/record-delivery.js";
import { replayDelivery, replayMatching } from "./statements/replay-deliveries.js";
import { completeDelivery, failDelivery } from "./statements/settle-attempt.js";
import type {
  AttemptRecord, ClaimInput, CompleteInput, DeliveryFilter, DeliveryPage, DeliveryRecord, DeliveryStatus,
  DeliveryStore, FailInput, NewDelivery, RecordOutcome,
} from "./types.js";

/**
 * `DeliveryStore` over any kysely dialect: each method is one statement module in `statements/`.
 * A Postgres store is this class over a PostgresDialect (plus its own claim if needed).
 * @example
 * const store = new KyselyDeliveryStore(new Kysely<StoreSchema>({ dialect }), "pg");
 */
export class KyselyDeliveryStore implements DeliveryStore {
  readonly driver: string;
  readonly #db: Kysely<StoreSchema>;
  readonly #onClose: () => void;
  #closed: Promise<void> | undefined;

  constructor(db: Kysely<StoreSchema>, driver: string, onClose: () => void = () => {}) {
    this.#db = db;
    this.driver = driver;
    this.#onClose = onClose;
  }

  /** The kysely instance, for queries this interface doesn't cover (dashboards, exports). */
  get db(): Kysely<StoreSchema> {
    return this.#db;
  }

  migrate(): Promise<void> {
    return migrateStore(this.#db);
  }
  record(input: NewDelivery): Promise<{ delivery: DeliveryRecord; outcome: RecordOutcome }> {
    return recordDelivery(this.#db, input);
  }
  claim(input: ClaimInput): Promise<DeliveryRecord | null> {
    return claimDelivery(this.#db, input);
  }
  complete(id: string, attempt: number, input: CompleteInput): Promise<boolean> {
    return completeDelivery(this.#db, id, attempt, input);
  }
  fail(id: string, attempt: number, input: FailInput): Promise<boolean> {
    return failDelivery(this.#db, id, attempt, input);
  }
  extendLease(id: string, attempt: number, leaseUntil: number): Promise<boolean> {
    return extendLease(this.#db, id, attempt, leaseUntil);
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
  prune(input: { succeededBefore: number }): Promise<number> {
    return pruneDeliveries(this.#db, input);
  }
  countsByStatus(): Promise<Record<DeliveryStatus, number>> {
    return countsByStatus(this.#db);
  }
  nextDueAt(endpoints: string[], after?: number): Promise<number | null> {
    return nextDueAt(this.#db, endpoints, after);
  }

  /** Idempotent; waits for queries in flight (kysely serializes them on the one SQLite connection). */
  close(): Promise<void> {
    this.#closed ??= this.#db.destroy().finally(this.#onClose);
    return this.#closed;
  }
}
