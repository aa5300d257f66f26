import { describe, expect, it } from "vitest";
import { checkEnd, type AttemptRun, type EndState } from "./invariants.js";
import { Ledger } from "./ledger.js";
import { lateDeliveries, POLL_MS } from "./liveness.js";
import type { AttemptView, RowView } from "./log-view.js";
import type { SimEndpoint } from "./scenario.js";

// The end-of-run checks of the simulation, on hand-made logs: each one passes a correct log and names the rule a
// broken one breaks (a checker that holds for any log would prove nothing).
const T0 = 1_000_000;
const endpoint = (over: Partial<SimEndpoint> = {}): SimEndpoint => ({
  name: "e0", concurrency: 1, ordered: false, mode: "accepted", timeoutMs: 1_000,
  retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 8_000, factor: 2, jitter: 0 }, flakiness: 0, ...over,
});
const row = (over: Partial<RowView> = {}): RowView => ({
  id: "d1", endpoint: "e0", status: "succeeded", repoName: "acme/r0", orderingKey: null, nextAttemptAt: null, leaseUntil: null,
  attempts: 1, maxAttempts: 3, receivedAt: T0, webhookId: "w1", error: null, ...over,
});
const attempt = (n: number, startedAt: number, finishedAt: number, outcome: string, deliveryId = "d1"): AttemptView =>
  ({ deliveryId, attempt: n, startedAt, finishedAt, outcome });
const run = (n: number, result: AttemptRun["result"], deliveryId = "d1", start = T0): AttemptRun =>
  ({ proc: 0, gen: 1, endpoint: "e0", key: "acme/r0", deliveryId, n: 1, attempt: n, start, end: start + 10, result, active: false });

function state(over: Partial<EndState>, endpoints: SimEndpoint[] = [endpoint()]): EndState {
  return {
    rows: [row()], history: [attempt(1, T0, T0 + 10, "succeeded")], ledger: [run(1, "ok")],
    endpoints: new Map(endpoints.map((e) => [e.name, e])), acked: new Set(["d1"]), reseries: new Set(), schedules: [], t0: T0, ...over,
  };
}
const rules = (s: EndState) => checkEnd(s).map((v) => v.invariant);

describe("simulation invariants (end of run)", () => {
  it("a clean log breaks nothing", () => {
    expect(checkEnd(state({}))).toEqual([]);
  });

  it("final: an acknowledged delivery missing from the log, or left queued/failed/running", () => {
    expect(rules(state({ rows: [], history: [], ledger: [] }))).toEqual(["final"]);
    expect(rules(state({ rows: [row({ status: "retrying", nextAttemptAt: T0 + 5 })] }))).toEqual(["final"]);
  });

  it("lost-lease: a settle from an older attempt overwrote a newer one", () => {
    // Attempt 2 ran (and failed for good), but the row says attempt 1 succeeded: attempt 1's late settle won.
    const s = state({
      rows: [row({ status: "succeeded", attempts: 1 })],
      history: [attempt(1, T0, T0 + 10, "succeeded"), attempt(2, T0 + 20, T0 + 30, "non-retryable")],
      ledger: [run(1, "crashed"), run(2, "non-retryable", "d1", T0 + 20)],
    });
    expect(rules(s)).toContain("lost-lease");
  });

  it("retry-schedule: a retry before its backoff, or a death before the last attempt", () => {
    const early = state({
      rows: [row({ status: "succeeded", attempts: 2 })],
      history: [attempt(1, T0, T0 + 10, "failed"), attempt(2, T0 + 50, T0 + 60, "succeeded")],
      ledger: [run(1, "throw"), run(2, "ok", "d1", T0 + 50)],
    });
    expect(rules(early)).toEqual(["retry-schedule"]);
    const onTime = state({ ...early, history: [attempt(1, T0, T0 + 10, "failed"), attempt(2, T0 + 110, T0 + 120, "succeeded")] });
    expect(rules(onTime)).toEqual([]);
    const deadEarly = state({ rows: [row({ status: "dead" })], history: [attempt(1, T0, T0 + 10, "failed")], ledger: [run(1, "throw")] });
    expect(rules(deadEarly)).toEqual(["retry-schedule"]);
  });

  it("debounce: one run per burst, the latest; the superseded end skipped", () => {
    const e = endpoint({ schedule: { mode: "debounce", ms: 300 } });
    const rows = [row({ id: "a", receivedAt: T0 }), row({ id: "b", receivedAt: T0 + 100, status: "skipped" })];
    const ranOldest = state({ rows, history: [], ledger: [run(1, "ok", "a")], acked: new Set() }, [e]);
    expect(rules(ranOldest)).toContain("debounce");
    const ranLatest = state({
      rows: [row({ id: "a", receivedAt: T0, status: "skipped" }), row({ id: "b", receivedAt: T0 + 100, attempts: 2 })],
      history: [attempt(1, T0 + 400, T0 + 400, "skipped", "a"), attempt(1, T0 + 100, T0 + 100, "deferred", "b"), attempt(2, T0 + 400, T0 + 410, "succeeded", "b")],
      ledger: [run(2, "ok", "b", T0 + 400)], acked: new Set(),
    }, [e]);
    expect(rules(ranLatest)).toEqual([]);
  });

  it("throttle: two deliveries of a key chosen closer than the period", () => {
    const e = endpoint({ schedule: { mode: "throttle", ms: 1_000 } });
    const seen = (id: string, at: number) => ({ id: { endpoint: "e0", step: "on:0", key: "acme/r0" }, now: at, chosen: { id, at }, chosenAt: at });
    const base = { rows: [row({ id: "a" }), row({ id: "b", receivedAt: T0 + 10 })], history: [], ledger: [run(1, "ok", "a"), run(1, "ok", "b", T0 + 400)], acked: new Set<string>() };
    expect(rules(state({ ...base, schedules: [seen("a", T0), seen("b", T0 + 400)] }, [e]))).toEqual(["throttle"]);
    expect(rules(state({ ...base, schedules: [seen("a", T0), seen("b", T0 + 1_000)] }, [e]))).toEqual([]);
  });
});

describe("simulation invariants (during the run)", () => {
  const endpoints = new Map([["e0", endpoint({ concurrency: 2, ordered: true })]]);
  const queued = (id: string, due: number, over: Partial<RowView> = {}) => row({ id, status: "queued", nextAttemptAt: due, attempts: 0, ...over });
  const proc = (index: number, running = 0) => ({ index, up: true, running: () => running });

  it("liveness: a due delivery with a free slot in its own process is late at once; elsewhere after the poll", () => {
    expect(lateDeliveries([queued("a", T0)], T0, endpoints, [proc(0)], new Map(), 1)).toMatchObject([{ endpoint: "e0", count: 1, dueForMs: 0 }]);
    expect(lateDeliveries([queued("a", T0 + 1)], T0, endpoints, [proc(0)], new Map(), 1)).toEqual([]); // not due yet
    expect(lateDeliveries([queued("a", T0)], T0, endpoints, [proc(0, 2)], new Map(), 1)).toEqual([]); // no free slot
    const blocked = [queued("a", T0, { orderingKey: "k" }), row({ id: "b", status: "running", orderingKey: "k", nextAttemptAt: T0, leaseUntil: T0 + 10 })];
    expect(lateDeliveries(blocked, T0, endpoints, [proc(0, 1)], new Map(), 1)).toEqual([]); // its key runs
    const expired = [row({ id: "b", status: "running", nextAttemptAt: T0 - 100, leaseUntil: T0 - 1 })];
    expect(lateDeliveries(expired, T0, endpoints, [proc(0)], new Map(), 1)).toHaveLength(1); // its worker died
    // Two processes: recorded by process 1 (busy), process 0 free: process 0 has until its poll.
    const two = [proc(0), proc(1, 2)];
    expect(lateDeliveries([queued("a", T0)], T0 + POLL_MS - 1, endpoints, two, new Map([["a", 1]]), 2)).toEqual([]);
    expect(lateDeliveries([queued("a", T0)], T0 + POLL_MS + 1, endpoints, two, new Map([["a", 1]]), 2)).toHaveLength(1);
    expect(lateDeliveries([queued("a", T0)], T0, endpoints, two, new Map([["a", 0]]), 2)).toHaveLength(1);
  });

  it("concurrency and ordering: counted as each handler starts, per process and per key", () => {
    const ledger = new Ledger();
    const e = endpoint({ concurrency: 1, ordered: true });
    const at = (deliveryId: string, gen: number, key = "k") => ({ ...run(1, undefined, deliveryId), gen, proc: gen, key, active: true });
    expect(ledger.start(at("a", 1), e)).toEqual([]);
    expect(ledger.start(at("b", 2, "other"), e)).toEqual([]); // another process, another key
    expect(ledger.start(at("c", 2), e).map((b) => b.invariant)).toEqual(["concurrency", "ordering"]);
    ledger.endGen(2, "crashed", T0);
    expect(ledger.running(2, "e0")).toBe(0);
    expect(ledger.running(1, "e0")).toBe(1);
  });
});
