import { sql, type Kysely } from "kysely";
import type { StoreSchema } from "../schema.js";
import type { DeliveryStatus } from "../types.js";

/** Upper bounds (ms) of the duration buckets the percentiles are read from: a histogram, as Prometheus keeps one. */
export const HEALTH_DURATION_EDGES = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000] as const;

/**
 * One group of deliveries received in the window: same endpoint, hour (0 = the oldest), status, whether it took
 * more than one attempt, and duration bucket (an index into {@link HEALTH_DURATION_EDGES}; its length = longer;
 * -1 = not run).
 */
export interface DeliveryHealthRow {
  endpoint: string;
  hour: number;
  status: DeliveryStatus;
  retried: boolean;
  bucket: number;
  count: number;
  /** Newest `received_at` of the group. */
  lastReceivedAt: number;
}

// Built from the constant edges above, never from input.
const BUCKET = sql.raw(
  `CASE WHEN duration_ms IS NULL THEN -1 ${HEALTH_DURATION_EDGES.map((edge, i) => `WHEN duration_ms <= ${edge} THEN ${i}`).join(" ")} ELSE ${HEALTH_DURATION_EDGES.length} END`,
);

/**
 * The dashboard's health strip in ONE statement: deliveries received since `since`, counted per endpoint × hour ×
 * status × retried × duration bucket, with the newest receive time of each group. It reads the `received_at` index
 * range of the window (24 h: what a day brings, not the log's millions) and returns at most a few thousand groups;
 * every figure of the strip (the chart, the success rate, p50/p95, the last delivery) is summed from them in
 * TypeScript, the same on SQLite and Postgres.
 * @example
 * await deliveryHealth(db, Date.now() - 86_400_000); // [{ endpoint: "train", hour: 23, status: "succeeded", … }]
 */
export async function deliveryHealth(db: Kysely<StoreSchema>, since: number): Promise<DeliveryHealthRow[]> {
  const rows = await db
    .selectFrom("deliveries")
    .select((eb) => [
      "endpoint",
      "status",
      // node:sqlite binds a JS number as a float: cast it, so the division is an integer one on both engines (and,
      // measured on SQLite, twice as fast as a float division cast afterwards).
      sql<number>`(received_at - CAST(${since} AS BIGINT)) / 3600000`.as("hour"),
      sql<number>`CASE WHEN attempts > 1 THEN 1 ELSE 0 END`.as("retried"),
      sql<number>`${BUCKET}`.as("bucket"),
      eb.fn.countAll().as("n"),
      eb.fn.max("received_at").as("last"),
    ])
    .where("received_at", ">=", since)
    .groupBy([sql`1`, sql`2`, sql`3`, sql`4`, sql`5`])
    .execute();
  return rows.map((row) => ({
    endpoint: row.endpoint,
    hour: Number(row.hour),
    status: row.status,
    retried: Number(row.retried) === 1,
    bucket: Number(row.bucket),
    count: Number(row.n),
    lastReceivedAt: Number(row.last),
  }));
}
