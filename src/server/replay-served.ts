import { HubhooksError } from "../errors.js";
import type { DeliveryFilter, DeliveryStore } from "../store/types.js";

/** What a bulk replay did: how many deliveries were queued again, and per endpoint how many were left alone. */
export interface ReplayServedResult {
  replayed: number;
  /** Matching deliveries of endpoints this server does not serve (another app sharing the log): not replayed. */
  notServed: Record<string, number>;
}

/**
 * Bulk replay restricted to the endpoints this server serves: a delivery of another app sharing the delivery log
 * would stay queued here, so it is counted in `notServed` instead; a filter naming an unserved endpoint is refused
 * (409). Without `served` (no endpoint list known), every match is replayed as before.
 * @example
 * await replayServed(store, { status: "dead" }, ["bot"], now); // { replayed: 2, notServed: { train: 1 } }
 */
export async function replayServed(
  store: DeliveryStore,
  filter: DeliveryFilter,
  served: readonly string[] | undefined,
  now: number,
): Promise<ReplayServedResult> {
  if (!served) return { replayed: await store.replayMatching(filter, now), notServed: {} };
  if (filter.endpoint !== undefined && !served.includes(filter.endpoint)) {
    const list = served.length ? served.join(", ") : "none";
    throw new HubhooksError(
      "INVALID_OPTIONS",
      `Endpoint ${filter.endpoint} is not served by this server (it serves: ${list}); its deliveries would stay queued. Replay them from the app that has that endpoint.`,
      { status: 409 },
    );
  }
  const endpoints = filter.endpoint !== undefined ? [filter.endpoint] : [...served];
  const notServed = filter.endpoint !== undefined ? {} : await countNotServed(store, filter, endpoints);
  let replayed = 0;
  for (const endpoint of endpoints) replayed += await store.replayMatching({ ...filter, endpoint }, now);
  return { replayed, notServed };
}

// Counted before the replay changes the matching rows' status; the rows are read only when some match.
async function countNotServed(store: DeliveryStore, filter: DeliveryFilter, served: readonly string[]): Promise<Record<string, number>> {
  let servedCount = 0;
  for (const endpoint of served) servedCount += await store.count({ ...filter, endpoint });
  if ((await store.count(filter)) === servedCount) return {};
  const counts: Record<string, number> = {};
  let cursor: string | undefined;
  do {
    const page = await store.list(filter, { limit: 500, cursor });
    for (const d of page.items) if (!served.includes(d.endpoint)) counts[d.endpoint] = (counts[d.endpoint] ?? 0) + 1;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return counts;
}
