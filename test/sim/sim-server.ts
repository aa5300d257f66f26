import { pino } from "pino";
import { getFixture } from "../../src/payload/fixtures.js";
import type { WebhooksServerOptions } from "../../src/server/options.js";
import { WebhooksServer } from "../../src/server/webhooks-server.js";
import type { DeliveryStore, NewDelivery } from "../../src/store/types.js";
import { nextTimerAt, realTimeout, realTurn, step } from "./virtual-time.js";

const silent = pino({ level: "silent" });

/** A server as a test drives it: no banner, no signals, no environment, a silent logger, nothing pruned. */
export function simServer(options: WebhooksServerOptions): WebhooksServer {
  // retentionMs is a delivery-log option: refused with database: false (the option checks of issue 24).
  const log = options.database === false ? {} : { retentionMs: false as const };
  return new WebhooksServer({ print: () => {}, logger: silent, handleSignals: false, env: {}, ...log, ...options });
}

/** A Hub push to `repo` (a valid payload for the lenient schema; `orderingKey: "repo"` keys on its name). */
export function pushBody(repo = "acme/model", n = 0): string {
  return JSON.stringify(getFixture("repo.content.update", { set: { "repo.name": repo, "repo.headSha": n.toString(16).padStart(40, "0") } }));
}

/** POST a body to an endpoint through `app.fetch` (the whole receive path, no socket). */
export function post(app: WebhooksServer, endpoint: string, body: string, webhookId?: string): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (webhookId) headers["webhook-id"] = webhookId;
  return app.fetch(new Request(`http://127.0.0.1/webhooks/${endpoint}`, { method: "POST", headers, body }));
}

/** The row the server would record for `body` on `endpoint`, to build a backlog straight in the log. */
export function backlogRow(endpoint: string, body: string, now: number, over: Partial<NewDelivery> = {}): NewDelivery {
  return {
    endpoint, body, headers: {}, url: null, webhookId: null, scope: "repo.content", action: "update", repoType: "model",
    repoName: null, orderingKey: null, maxAttempts: 5, now, ...over,
  };
}

/** A sleep on the (fake) timers: a handler's latency in virtual time. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/**
 * Fire timers until `promise` settles, bounded. With `advance: false` the clock does not move: only what is due now
 * fires, and real turns let real I/O (a module import, a socket) finish, e.g. `start()`. Else the clock moves on to
 * the next timer only after a few real turns found nothing to do now (so real I/O is not raced by virtual hours).
 */
export async function runUntil<T>(promise: Promise<T>, limit = 100_000, options: { advance?: boolean } = {}): Promise<T> {
  let done = false;
  const watched = promise.finally(() => (done = true));
  for (let i = 0; i < limit && !done; i++) {
    if (nextTimerAt() <= Date.now()) {
      await step();
      continue;
    }
    for (let turn = 0; turn < 3 && !done; turn++) await realTurn();
    if (done) break;
    if (options.advance === false || nextTimerAt() === Number.POSITIVE_INFINITY) {
      await new Promise((resolve) => realTimeout(resolve, 1));
    } else {
      await step();
    }
  }
  if (!done) throw new Error("runUntil: the promise never settled");
  return watched;
}

/**
 * Load, under real timers, everything the server imports lazily (the engine, the queue, the metrics, the payload
 * parser), so that in virtual time no dynamic import is left to race the fake clock. Once per test file.
 */
export async function warmUp(): Promise<void> {
  const inline = simServer({ database: false });
  inline.addWebhook("warm", () => null);
  await post(inline, "warm", pushBody());
  await inline.close();
  const durable = simServer({ database: ":memory:" });
  durable.addWebhook("warm", () => null);
  await durable.start();
  await post(durable, "warm", pushBody());
  await durable.close();
}

/**
 * A store that counts what the queue asks of it: each `writeBatch` with a claim, and the endpoints that claim named
 * (each one is at least one claim statement). The rest passes through.
 */
export function countingStore(store: DeliveryStore): { store: DeliveryStore; counts: { batches: number; claims: number; endpointClaims: number; records: number } } {
  const counts = { batches: 0, claims: 0, endpointClaims: 0, records: 0 };
  const wrapped = new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === "writeBatch") {
        return (batch: Parameters<DeliveryStore["writeBatch"]>[0]) => {
          counts.batches++;
          counts.records += batch.records.length;
          if (batch.claim) {
            counts.claims++;
            counts.endpointClaims += batch.claim.slots.filter((s) => s.limit > 0).length;
          }
          return target.writeBatch(batch);
        };
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: wrapped, counts };
}
