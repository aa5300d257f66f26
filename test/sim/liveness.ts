import { QUEUE_DEFAULTS } from "../../src/queue/queue-options.js";
import type { RowView } from "./log-view.js";
import type { SimEndpoint } from "./scenario.js";

/** The safety-net poll: how late another process may learn of a delivery nobody told it about. */
export const POLL_MS = QUEUE_DEFAULTS.pollIntervalMs + 1;

/** A simulated process as the liveness rule sees it: up or not, and its running handlers per endpoint. */
export interface ProcessSlots {
  index: number;
  up: boolean;
  running: (endpoint: string) => number;
}

export interface LateDelivery {
  endpoint: string;
  /** How many of the endpoint's deliveries wait. */
  count: number;
  oldest: RowView;
  dueForMs: number;
  freeIn: number[];
}

/**
 * The liveness rule at a quiescent instant (nothing more happens without the clock moving): no endpoint holds a due
 * delivery (queued or failed and due, or running under an expired lease; not blocked by a live delivery of its
 * ordering key) while a running process has a free slot for it. The process that has the delivery in hand (`owner`:
 * it recorded, ran or replayed it) must have started it; another one learns of it by a cross-process wake-up or its
 * poll, so it is held to the poll interval. With one process, every due delivery is its own.
 * @example
 * lateDeliveries(rows, Date.now(), endpoints, [{ index: 0, up: true, running: () => 0 }], new Map(), 1);
 */
export function lateDeliveries(
  rows: readonly RowView[],
  now: number,
  endpoints: ReadonlyMap<string, SimEndpoint>,
  procs: readonly ProcessSlots[],
  owner: ReadonlyMap<string, number>,
  processes: number,
): LateDelivery[] {
  const dueAt = (r: RowView) => (r.status === "running" ? r.leaseUntil! : r.nextAttemptAt!);
  const keyOf = (r: RowView) => `${r.endpoint} ${r.orderingKey}`;
  const liveKeys = new Set(rows.filter((r) => r.status === "running" && (r.leaseUntil ?? 0) > now && r.orderingKey !== null).map(keyOf));
  const due = new Map<string, RowView[]>();
  for (const r of rows) {
    if (r.nextAttemptAt === null) continue;
    const isDue = r.status === "running" ? (r.leaseUntil ?? 0) <= now : r.nextAttemptAt <= now;
    if (!isDue || (r.orderingKey !== null && liveKeys.has(keyOf(r)))) continue;
    due.set(r.endpoint, [...(due.get(r.endpoint) ?? []), r]);
  }
  const out: LateDelivery[] = [];
  for (const [name, list] of due) {
    const endpoint = endpoints.get(name);
    if (!endpoint) continue;
    const free = procs.filter((p) => p.up && p.running(name) < endpoint.concurrency);
    if (free.length === 0) continue;
    const late = list.filter((r) => processes === 1 || free.some((p) => p.index === owner.get(r.id)) || now - dueAt(r) > POLL_MS);
    if (late.length === 0) continue;
    const oldest = late.reduce((a, b) => (dueAt(a) <= dueAt(b) ? a : b));
    out.push({ endpoint: name, count: late.length, oldest, dueForMs: now - dueAt(oldest), freeIn: free.map((p) => p.index) });
  }
  return out;
}
