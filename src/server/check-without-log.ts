import { HubhooksError } from "../errors.js";
import type { OptionPlace } from "./option-lists.js";

// What only the delivery log can honour: with `database: false` a handler runs once, inside the request, with no
// record to retry, order or schedule, so these options would be dropped without a word. (timeoutMs works inline: the
// attempt runs through the queue's runner, answered 504 with ctx.signal aborted.)
const NEEDS_LOG: Partial<Record<OptionPlace, readonly string[]>> = {
  server: ["store", "durability", "databaseSchema", "retentionMs", "leaseMs", "onError", "onDead"],
  endpoint: ["deadlineMs", "retry", "concurrency", "orderingKey", "debounce", "throttle"],
  route: ["debounce", "throttle"],
};

/**
 * Refuse options that `database: false` (handlers run inline, no delivery log) cannot honour, naming the option.
 * (`mode: "accepted"` is served: 202 first, the handler after the answer, kept alive by the host's `waitUntil`/`after`
 * when it registered one, else by the process; with no log it is never retried.)
 * @example
 * checkWithoutLog("route", '.on("repo.content.update")', { debounce: { ms: 1000 } });
 * // throws: .on("repo.content.update"): debounce needs the delivery log; database: false runs handlers inline, once…
 */
export function checkWithoutLog(place: OptionPlace, where: string, options: object): void {
  const values = options as Record<string, unknown>;
  const key = (NEEDS_LOG[place] ?? []).find((k) => values[k] !== undefined);
  if (key === undefined) return;
  throw new HubhooksError(
    "INVALID_OPTIONS",
    `${where}: ${key} needs the delivery log; database: false runs handlers inline, once, in the request: remove ${key.split(":")[0]} or keep the log`,
  );
}
