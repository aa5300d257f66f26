import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HubhooksError, NonRetryableError } from "../../src/errors.js";
import { ManualClock } from "../../src/internal/clock.js";
import { HubhooksMetrics } from "../../src/metrics/metrics.js";
import { DeliveryQueue } from "../../src/queue/delivery-queue.js";
import { DEFAULT_RETRY } from "../../src/queue/retry-policy.js";
import type { QueueEndpoint } from "../../src/queue/types.js";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.js";
import type { DeliveryRecord, DeliveryStore, NewDelivery } from "../../src/store/types.js";

const dir = mkdtempSync(join(tmpdir(), "hubhooks-queue-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

const LEASE = 60_000;
type Run = QueueEndpoint["run"];

/** A promise with its resolve/reject outside, to hold a handler until the test lets it go. */
function deferred<T = unknown>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}
/** Let other promise chains (handlers, store writes) run, without timers. */
const yieldTurns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe("DeliveryQueue on a real SQLite file with a manual clock", () => {
  let path: string;
  let store: DeliveryStore;
  let clock: ManualClock;
  let endpoints: Map<string, QueueEndpoint>;
  let queue: DeliveryQueue;
  const extraStores: DeliveryStore[] = [];

  function endpoint(name: string, run: Run, overrides: Partial<QueueEndpoint> = {}): QueueEndpoint {
    const ep: QueueEndpoint = { name, concurrency: 4, timeoutMs: 30_000, retry: { ...DEFAULT_RETRY, maxAttempts: 3 }, run, ...overrides };
    endpoints.set(name, ep);
    return ep;
  }
  function makeQueue(over: Partial<ConstructorParameters<typeof DeliveryQueue>[0]> = {}): DeliveryQueue {
    return new DeliveryQueue({
      store, clock, random: () => 0.5, leaseMs: LEASE, retention: false,
      endpoint: (n) => endpoints.get(n), endpointNames: () => [...endpoints.keys()], ...over,
    });
  }
  async function record(overrides: Partial<NewDelivery> = {}, into = store): Promise<DeliveryRecord> {
    const { delivery } = await into.record({
      endpoint: "sync", body: '{"n":1}', headers: {}, webhookId: null, scope: "repo", action: "update",
      repoType: "model", repoName: "acme/gpt", orderingKey: null, maxAttempts: endpoints.get(overrides.endpoint ?? "sync")?.retry.maxAttempts ?? 3,
      now: clock.now(), ...overrides,
    });
    return delivery;
  }
  const status = async (id: string) => (await store.get(id))?.status;

  beforeEach(async () => {
    path = join(dir, `queue-${++fileNo}.db`);
    store = await createSqliteStore({ path });
    await store.migrate();
    clock = new ManualClock();
    endpoints = new Map();
    queue = makeQueue();
  });
  afterEach(async () => {
    await queue.stop(0);
    await store.close();
    for (const s of extraStores.splice(0)) await s.close();
  });

  it("runs a delivery once and stores a returned Response as { status, body }; waitFor gets the live Response", async () => {
    const calls: { id: string; attempt: number; aborted: boolean }[] = [];
    endpoint("sync", async (d, ctx) => {
      calls.push({ id: d.id, attempt: ctx.attempt, aborted: ctx.signal.aborted });
      return Response.json({ ok: 1 }, { status: 202 });
    });
    const d = await record();
    const waiting = queue.waitFor(d.id, new AbortController().signal);
    await queue.drain();
    expect(calls).toEqual([{ id: d.id, attempt: 1, aborted: false }]);
    expect(await store.get(d.id)).toMatchObject({ status: "succeeded", attempts: 1, result: { status: 202, body: { ok: 1 } } });
    const outcome = await waiting;
    expect(outcome.status).toBe("succeeded");
    const live = (outcome as { value: Response }).value;
    expect(live).toBeInstanceOf(Response);
    expect(live.status).toBe(202);
    expect(await live.json()).toEqual({ ok: 1 });
  });

  it("retries a failure after the backoff, by the injected clock only", async () => {
    let calls = 0;
    endpoint("sync", async () => {
      if (++calls === 1) throw new Error("transient");
      return { done: true };
    });
    const d = await record();
    await queue.drain();
    const t1 = clock.now();
    expect(await store.get(d.id)).toMatchObject({ status: "retrying", attempts: 1, error: "transient", nextAttemptAt: t1 + 1_000 });
    await queue.drain();
    clock.advance(999);
    expect(await queue.tick()).toBe(0);
    expect(calls).toBe(1);
    clock.advance(1);
    await queue.drain();
    expect(await store.get(d.id)).toMatchObject({ status: "succeeded", attempts: 2, result: { done: true } });
    const history = await store.attempts(d.id);
    expect(history.map((a) => [a.attempt, a.outcome, a.error])).toEqual([[1, "failed", "transient"], [2, "succeeded", null]]);
    expect(history[0]?.stack).toContain("transient");
  });

  it("gives up after the last attempt: dead, with backoff 1 s then 4 s in between", async () => {
    endpoint("sync", async () => {
      throw new Error("always");
    });
    const d = await record();
    await queue.drain();
    expect((await store.get(d.id))?.nextAttemptAt).toBe(clock.now() + 1_000);
    clock.advance(1_000);
    await queue.drain();
    expect((await store.get(d.id))?.nextAttemptAt).toBe(clock.now() + 4_000);
    clock.advance(4_000);
    await queue.drain();
    expect(await store.get(d.id)).toMatchObject({ status: "dead", attempts: 3, nextAttemptAt: null, finishedAt: clock.now() });
    expect((await store.attempts(d.id)).map((a) => a.outcome)).toEqual(["failed", "failed", "failed"]);
    clock.advance(86_400_000);
    expect(await queue.tick()).toBe(0);
  });

  it("a NonRetryableError makes the delivery dead at once", async () => {
    endpoint("sync", async () => {
      throw new NonRetryableError("not for me");
    });
    const d = await record();
    await queue.drain();
    expect(await store.get(d.id)).toMatchObject({ status: "dead", attempts: 1, error: "not for me" });
    expect((await store.attempts(d.id))[0]?.outcome).toBe("non-retryable");
  });

  it("times a slow handler out through its AbortSignal (HANDLER_TIMEOUT) and retries it like a failure", async () => {
    const reasons: unknown[] = [];
    endpoint(
      "sync",
      (_d, { signal }) =>
        new Promise((_, reject) => signal.addEventListener("abort", () => (reasons.push(signal.reason), reject(signal.reason)))),
      { timeoutMs: 20 },
    );
    endpoint("stubborn", () => new Promise(() => {}), { timeoutMs: 20 }); // ignores its signal entirely
    const d = await record();
    const s = await record({ endpoint: "stubborn" });
    await queue.drain();
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBeInstanceOf(HubhooksError);
    expect((reasons[0] as HubhooksError).code).toBe("HANDLER_TIMEOUT");
    for (const id of [d.id, s.id]) {
      const after = await store.get(id);
      expect(after).toMatchObject({ status: "retrying", nextAttemptAt: clock.now() + 1_000 });
      expect(after?.error).toMatch(/timed out after 20 ms/);
      expect((await store.attempts(id))[0]?.outcome).toBe("timeout");
    }
  });

  it("runs at most `concurrency` attempts of an endpoint at once in this process", async () => {
    let active = 0;
    let peak = 0;
    const gates: ReturnType<typeof deferred>[] = [];
    endpoint("sync", async () => {
      active++;
      peak = Math.max(peak, active);
      const gate = deferred();
      gates.push(gate);
      await gate.promise;
      active--;
    }, { concurrency: 2 });
    endpoint("other", async () => {}, { concurrency: 1 });
    for (let i = 0; i < 5; i++) await record();
    await record({ endpoint: "other" });
    expect(await queue.tick()).toBe(3); // 2 of "sync" + 1 of "other"
    expect(await queue.tick()).toBe(0);
    await yieldTurns();
    expect(active).toBe(2);
    const draining = queue.drain();
    for (let released = 0; released < 5; released++) {
      for (let i = 0; i < 50 && gates.length <= released; i++) await yieldTurns(1);
      expect(active).toBeLessThanOrEqual(2);
      gates[released]!.resolve(undefined);
    }
    await draining;
    expect(peak).toBe(2);
    expect(await store.count({ status: "succeeded" })).toBe(6);
  });

  it("never overlaps deliveries that share an ordering key, and keeps their order", async () => {
    const events: string[] = [];
    endpoint("sync", async (d) => {
      events.push(`start ${d.body}`);
      await yieldTurns(3);
      events.push(`end ${d.body}`);
    }, { concurrency: 10 });
    for (const n of [1, 2, 3]) {
      await record({ body: String(n), orderingKey: "acme/gpt" });
      clock.advance(1);
    }
    await record({ body: "free", orderingKey: "other/repo" });
    expect(await queue.tick()).toBe(2); // 1 and "free"; 2 and 3 wait for 1
    await queue.drain();
    const keyed = events.filter((e) => !e.includes("free"));
    expect(keyed).toEqual(["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]);
  });

  it("waitFor reports a failure with the error thrown, and 'pending' once its signal aborts", async () => {
    const boom = new Error("boom");
    endpoint("sync", async () => {
      throw boom;
    });
    const d = await record();
    const gone = new AbortController();
    const pending = queue.waitFor(d.id, gone.signal);
    const failed = queue.waitFor(d.id, new AbortController().signal);
    gone.abort();
    expect(await pending).toEqual({ status: "pending" });
    await queue.drain();
    expect(await failed).toMatchObject({ status: "failed", error: boom, message: "boom" });
    expect((await failed as { nextAttemptAt: number | null }).nextAttemptAt).toBeGreaterThan(0);
    expect(await queue.waitFor(d.id, AbortSignal.abort())).toEqual({ status: "pending" });
  });

  it("start() + notify() claims a new delivery at once, without ticks from the test", async () => {
    endpoint("sync", async (d) => ({ echo: d.body }));
    queue = makeQueue({ pollIntervalMs: 3_600_000 });
    queue.start();
    const d = await record({ body: "hello" });
    const outcome = queue.waitFor(d.id, AbortSignal.timeout(10_000));
    queue.notify();
    expect(await outcome).toEqual({ status: "succeeded", value: { echo: "hello" } });
    await vi.waitFor(async () => expect(await status(d.id)).toBe("succeeded"));
  });

  it("stop(grace) waits for running handlers, then aborts the rest with QUEUE_STOPPED", async () => {
    const quick = deferred();
    let stubbornReason: unknown;
    endpoint("sync", async (d, { signal }) => {
      if (d.body === "quick") return quick.promise.then(() => "finished in grace");
      return new Promise((_, reject) => signal.addEventListener("abort", () => reject((stubbornReason = signal.reason))));
    });
    const q = await record({ body: "quick" });
    const s = await record({ body: "stubborn" });
    expect(await queue.tick()).toBe(2);
    const stopping = queue.stop(50);
    quick.resolve(undefined);
    await stopping;
    expect(await store.get(q.id)).toMatchObject({ status: "succeeded", result: "finished in grace" });
    expect((stubbornReason as HubhooksError).code).toBe("QUEUE_STOPPED");
    // Not the handler's fault: queued again at once for the next process, the attempt given back (issue 15).
    const before = await store.get(s.id);
    expect(before).toMatchObject({ status: "queued", nextAttemptAt: clock.now(), attempts: 1, maxAttempts: s.maxAttempts + 1 });
    expect((await store.attempts(s.id)).map((a) => a.outcome)).toEqual(["interrupted"]);
    await record();
    expect(await queue.tick()).toBe(0);
  });

  it("renews the lease of a long handler at half-life, so no other process can take it over", async () => {
    const gate = deferred();
    endpoint("sync", () => gate.promise);
    const d = await record();
    await queue.tick();
    const other = await createSqliteStore({ path });
    extraStores.push(other);
    clock.advance(LEASE / 2);
    await queue.tick();
    expect((await store.get(d.id))?.leaseUntil).toBe(clock.now() + LEASE);
    clock.advance(LEASE - 1);
    expect(await other.claim({ now: clock.now(), leaseMs: LEASE, endpoints: ["sync"] })).toBeNull();
    gate.resolve(undefined);
    await queue.drain();
    expect(await status(d.id)).toBe("succeeded");
  });

  it("after a restart, a second store on the same file resumes queued and lease-expired deliveries", async () => {
    endpoint("sync", async (d) => `ran ${d.body}`);
    const crashed = await record({ body: "crashed" });
    clock.advance(1);
    const waiting = await record({ body: "waiting" });
    // The first process claims one and dies before settling it.
    expect((await store.claim({ now: clock.now(), leaseMs: LEASE, endpoints: ["sync"] }))?.id).toBe(crashed.id);

    const second = await createSqliteStore({ path });
    extraStores.push(second);
    await second.migrate();
    const restarted = makeQueue({ store: second });
    await restarted.drain();
    expect((await second.get(waiting.id))?.status).toBe("succeeded");
    expect((await second.get(crashed.id))?.status).toBe("running");
    clock.advance(LEASE);
    await restarted.drain();
    expect(await second.get(crashed.id)).toMatchObject({ status: "succeeded", attempts: 2, result: "ran crashed" });
    expect((await second.attempts(crashed.id)).map((a) => a.outcome)).toEqual(["lease-expired", "succeeded"]);
    await restarted.stop(0);
  });

  it("prunes old succeeded deliveries at start() when retention is on", async () => {
    endpoint("sync", async () => "ok");
    const old = await record();
    await queue.drain();
    clock.advance(8 * 86_400_000);
    const fresh = await record();
    queue = makeQueue({ retention: { succeededMaxAgeMs: 7 * 86_400_000 }, pollIntervalMs: 3_600_000 });
    queue.start();
    await vi.waitFor(async () => expect(await store.get(old.id)).toBeNull());
    await vi.waitFor(async () => expect(await status(fresh.id)).toBe("succeeded"));
  });

  it("feeds the metrics: outcomes, handler duration, queue lag and depth", async () => {
    const metrics = new HubhooksMetrics({ store, defaultMetrics: false });
    queue = makeQueue({ metrics });
    endpoint("sync", async (d) => {
      if (d.body === "bad") throw new NonRetryableError("bad");
      if (d.body === "flaky" && d.attempts === 1) throw new Error("flaky");
    });
    await record({ body: "good" });
    await record({ body: "bad" });
    await record({ body: "flaky" });
    clock.advance(2_000); // all three waited 2 s before their first claim
    await queue.drain();
    const text = await metrics.render();
    expect(text).toContain('hubhooks_attempts_total{endpoint="sync",outcome="succeeded"} 1');
    expect(text).toContain('hubhooks_attempts_total{endpoint="sync",outcome="non-retryable"} 1');
    expect(text).toContain('hubhooks_attempts_total{endpoint="sync",outcome="failed"} 1');
    expect(text).toContain('hubhooks_deliveries_total{endpoint="sync",status="succeeded"} 1');
    expect(text).toContain('hubhooks_deliveries_total{endpoint="sync",status="dead"} 1');
    expect(text).toContain('hubhooks_handler_duration_seconds_count{endpoint="sync"} 3');
    expect(text).toContain('hubhooks_queue_lag_seconds_bucket{le="1",endpoint="sync"} 0');
    expect(text).toContain('hubhooks_queue_lag_seconds_bucket{le="5",endpoint="sync"} 3');
    expect(text).toContain('hubhooks_queue_depth{status="retrying"} 1'); // flaky: its retry is not due yet
    expect(text).not.toContain('hubhooks_queue_depth{status="dead"}');
    expect(text).toContain('hubhooks_deliveries_running{endpoint="sync"} 0');
  });

  it("counts a delivery that failed three attempts as 3 attempts and 1 dead delivery, once it dies", async () => {
    const metrics = new HubhooksMetrics({ store, defaultMetrics: false });
    metrics.setEndpoints(() => ["sync"]);
    queue = makeQueue({ metrics });
    endpoint("sync", async () => {
      throw new Error("always");
    });
    await record({ maxAttempts: 3 });
    const attempts = async () => /hubhooks_attempts_total\{endpoint="sync",outcome="failed"\} (\d+)/.exec(await metrics.render())![1];
    const dead = async () => /hubhooks_deliveries_total\{endpoint="sync",status="dead"\} (\d+)/.exec(await metrics.render())![1];
    await queue.drain();
    expect([await attempts(), await dead()]).toEqual(["1", "0"]);
    clock.advance(60_000);
    await queue.drain();
    expect([await attempts(), await dead()]).toEqual(["2", "0"]);
    clock.advance(600_000);
    await queue.drain();
    expect([await attempts(), await dead()]).toEqual(["3", "1"]);
  });
});
