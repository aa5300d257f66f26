import { HEALTH_DURATION_EDGES, type DeliveryHealthRow } from "../store/statements/delivery-health.js";

/** How a delivery shows on the chart: first-attempt success, success after retries or a retry pending, and the finals. */
export const HEALTH_OUTCOMES = ["succeeded", "retried", "dead", "skipped", "invalid"] as const;
export type HealthOutcome = (typeof HEALTH_OUTCOMES)[number];

/** The state of the Hub webhook(s) pointing at an endpoint; `unknown` without a Hub token or before the Hub answered. */
export type HubStateLabel = "enabled" | "disabled" | "suspended" | "unknown" | "none";

/**
 * One endpoint's last 24 hours, as the health strip shows it.
 * @example
 * const h: EndpointHealth = summarizeHealth(rows, ["train"])[0]!;
 */
export interface EndpointHealth {
  endpoint: string;
  /** 24 hourly counts, oldest first (the last one ends now). */
  hours: Array<Record<HealthOutcome, number>>;
  total: number;
  /** Succeeded ÷ (succeeded + dead), retried successes included; null when none finished either way. */
  successRate: number | null;
  /** Upper bounds of the duration buckets holding the 50th and 95th percentile of run deliveries, in ms. */
  p50Ms: number | null;
  p95Ms: number | null;
  /** Newest receive time in the window; null when none. */
  lastReceivedAt: number | null;
}

const HOURS = 24;

/**
 * Sum the grouped rows of one health query into one summary per endpoint (an endpoint without deliveries gets a
 * summary of zeros). Pure: the page's only read is the query.
 * @example
 * summarizeHealth(await store.deliveryHealth(now - 86_400_000), ["train", "sync"]);
 */
export function summarizeHealth(rows: readonly DeliveryHealthRow[], endpoints: readonly string[]): EndpointHealth[] {
  const byEndpoint = new Map<string, { health: EndpointHealth; succeeded: number; dead: number; buckets: number[] }>();
  const entry = (endpoint: string) => {
    let e = byEndpoint.get(endpoint);
    if (!e) {
      const hours = Array.from({ length: HOURS }, () => ({ succeeded: 0, retried: 0, dead: 0, skipped: 0, invalid: 0 }));
      const health = { endpoint, hours, total: 0, successRate: null, p50Ms: null, p95Ms: null, lastReceivedAt: null };
      e = { health, succeeded: 0, dead: 0, buckets: new Array<number>(HEALTH_DURATION_EDGES.length + 1).fill(0) };
      byEndpoint.set(endpoint, e);
    }
    return e;
  };
  for (const name of endpoints) entry(name);
  for (const row of rows) {
    const e = entry(row.endpoint);
    const outcome = outcomeOf(row);
    const h = e.health;
    h.lastReceivedAt = Math.max(h.lastReceivedAt ?? 0, row.lastReceivedAt);
    if (row.status === "succeeded") e.succeeded += row.count;
    if (row.status === "dead") e.dead += row.count;
    if (row.bucket >= 0 && row.bucket < e.buckets.length) e.buckets[row.bucket]! += row.count;
    if (!outcome) continue;
    h.hours[Math.min(HOURS - 1, Math.max(0, Math.floor(row.hour)))]![outcome] += row.count;
    h.total += row.count;
  }
  return [...byEndpoint.values()].map(({ health, succeeded, dead, buckets }) => ({
    ...health,
    successRate: succeeded + dead > 0 ? succeeded / (succeeded + dead) : null,
    p50Ms: percentile(buckets, 0.5),
    p95Ms: percentile(buckets, 0.95),
  }));
}

/** Queued or running for the first time: not on the chart yet. */
function outcomeOf(row: DeliveryHealthRow): HealthOutcome | undefined {
  switch (row.status) {
    case "succeeded":
      return row.retried ? "retried" : "succeeded";
    case "retrying":
      return "retried";
    case "queued":
    case "running":
      return row.retried ? "retried" : undefined;
    default:
      return row.status;
  }
}

/** The upper bound of the bucket where the cumulative count reaches `q`; past the last edge, the last edge. */
function percentile(buckets: readonly number[], q: number): number | null {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i]!;
    if (seen >= q * total) return HEALTH_DURATION_EDGES[Math.min(i, HEALTH_DURATION_EDGES.length - 1)]!;
  }
  return HEALTH_DURATION_EDGES[HEALTH_DURATION_EDGES.length - 1]!;
}
