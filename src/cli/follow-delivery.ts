import { HubhooksError } from "../errors.js";
import type { DeliveryApiClient, DeliveryJson } from "./delivery-api.js";

/** Statuses a delivery stays in: it will not run again unless replayed. */
const FINAL = new Set(["succeeded", "skipped", "dead", "invalid"]);
/** The final statuses a script may count as done: it ran, or no handler applied on purpose (a route, a filter). */
const DONE = new Set(["succeeded", "skipped"]);

export interface FollowOptions {
  /** Give up (exit 1) after this long without a final status. */
  timeoutMs: number;
  /** Each status change, as one line. */
  say: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Follow a delivery through the server's delivery API (`GET /api/deliveries/:id`) until it reaches a final status,
 * printing each change; resolves to the exit code: 0 when it succeeded or was skipped on purpose, 1 when it went
 * dead, was quarantined (`invalid`), or was still unsettled at the timeout. Polls (the API is plain HTTP; a
 * script's wait needs no live feed): every 250 ms, and not before a scheduled retry is due.
 * @example
 * const code = await followDelivery(api, "dlv_01…", { timeoutMs: 300_000, say: (l) => io.stdout(l + "\n") });
 */
export async function followDelivery(api: DeliveryApiClient, id: string, options: FollowOptions): Promise<number> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + options.timeoutMs;
  let said = "";
  for (;;) {
    const { delivery } = await api.get(id);
    const line = describeDelivery(delivery);
    if (line !== said) options.say((said = line));
    if (FINAL.has(delivery.status)) return DONE.has(delivery.status) ? 0 : 1;
    const left = deadline - now();
    if (left <= 0) {
      throw new HubhooksError("HANDLER_TIMEOUT", `${id} is still ${delivery.status} after ${Math.round(options.timeoutMs / 1000)} s; follow it with hubhooks deliveries show ${id}`);
    }
    const due = delivery.status === "retrying" && delivery.nextAttemptAt ? delivery.nextAttemptAt - now() : 0;
    await sleep(Math.min(left, Math.max(250, due)));
  }
}

/**
 * One line about a delivery's state: `dlv_…: succeeded (attempt 1, 3 ms)`, `dlv_…: retrying after attempt 1 of 5: kaboom`.
 * @example
 * describeDelivery(delivery); // "dlv_01…: dead after 5 attempts: kaboom"
 */
export function describeDelivery(d: DeliveryJson): string {
  const error = d.error ? `: ${d.error}` : "";
  switch (d.status) {
    case "succeeded":
      return `${d.id}: succeeded (attempt ${d.attempts}${d.durationMs === null ? "" : `, ${d.durationMs} ms`})`;
    case "retrying":
      return `${d.id}: retrying after attempt ${d.attempts} of ${d.maxAttempts}${error}`;
    case "dead":
      return `${d.id}: dead after ${d.attempts} attempt(s)${error}`;
    case "invalid":
      return `${d.id}: invalid, quarantined without running${error}`;
    case "skipped":
      return `${d.id}: skipped${error}`;
    default:
      return `${d.id}: ${d.status}`;
  }
}
