import { mulberry32 } from "./prng.js";

/** One endpoint of a simulated app, as drawn from a seed. */
export interface SimEndpoint {
  name: string;
  concurrency: number;
  /** `orderingKey: "repo"`: one running delivery per repo (the repos are few, so keys collide). */
  ordered: boolean;
  mode: "accepted" | "result";
  timeoutMs: number;
  retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number; factor: number; jitter: number };
  /** A debounced or throttled route (`.on("repo.content.update", { debounce: { key: "repo", ms } })`) instead of a handler. */
  schedule?: { mode: "debounce" | "throttle"; ms: number };
  /** How often an attempt fails, 0..1 (healthy endpoints and flaky ones). */
  flakiness: number;
}

/** What happens at a virtual time. `process`: which of the app's processes it concerns (0 or 1). */
export type SimEvent =
  | { at: number; kind: "arrive"; process: number; endpoint: string; n: number; repo: string; webhookId: string }
  /** Replay one delivery already answered (the `pick`-th of those known then, modulo), as the dashboard does. */
  | { at: number; kind: "replay"; process: number; pick: number }
  /** "Replay all" of the dead deliveries of every endpoint without a schedule. */
  | { at: number; kind: "bulk-replay"; process: number }
  /** The process dies (SIGKILL): everything in memory is gone; a new one opens the same log `restartAfter` later. */
  | { at: number; kind: "crash"; process: number; restartAfter: number }
  /**
   * The database stops answering one process for `durationMs` (longer than the lease: a network partition, a long
   * pause), then answers its waiting calls in order: its leases are lost meanwhile, and its late settles must lose.
   */
  | { at: number; kind: "freeze"; process: number; durationMs: number }
  /** SIGTERM: `close()` with a grace period, then a new process `restartAfter` later. */
  | { at: number; kind: "stop"; process: number; restartAfter: number };

export interface Scenario {
  seed: number;
  /** Processes sharing the log (two queues on one database). */
  processes: number;
  leaseMs: number;
  /** How long a SIGTERM waits for running handlers (`shutdownGraceMs`). */
  shutdownGraceMs: number;
  endpoints: SimEndpoint[];
  events: SimEvent[];
  /** When the run gives up waiting for every delivery to be final (virtual ms after the start). */
  horizonMs: number;
}

/** What one attempt of a handler does, drawn from (seed, delivery, attempt) so it does not depend on the run order. */
export type Behaviour =
  | { kind: "ok"; latencyMs: number }
  | { kind: "throw"; latencyMs: number }
  | { kind: "non-retryable"; latencyMs: number }
  /** Waits for its signal (the timeout), then rejects with the reason. */
  | { kind: "hang" }
  /** Ignores its signal and never returns: the queue must time it out and free the slot anyway. */
  | { kind: "stubborn" };

export const REPOS = ["acme/r0", "acme/r1", "acme/r2", "acme/r3"] as const;

/** Draw a whole scenario from a seed (pure: the same seed gives the same scenario). */
export function drawScenario(seed: number): Scenario {
  const r = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const chance = (p: number) => r() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

  const processes = chance(0.25) ? 2 : 1;
  const leaseMs = pick([2_000, 5_000, 10_000, 30_000]);
  const endpointCount = chance(0.3) ? int(8, 16) : int(1, 8);
  const endpoints: SimEndpoint[] = Array.from({ length: endpointCount }, (_, i) => {
    const scheduled = chance(0.12);
    return {
      name: `e${i}`,
      concurrency: pick([1, 1, 2, 2, 3, 4, 6, 8]),
      ordered: chance(0.3),
      mode: chance(0.5) ? "accepted" : "result",
      timeoutMs: pick([50, 200, 1_000, 3_000]),
      retry: {
        maxAttempts: int(1, 5), initialDelayMs: pick([50, 200, 1_000]), maxDelayMs: pick([2_000, 8_000]),
        factor: pick([1, 2, 4]), jitter: pick([0, 0.1, 0.2]),
      },
      ...(scheduled ? { schedule: { mode: chance(0.5) ? "debounce" as const : "throttle" as const, ms: pick([300, 1_000, 5_000]) } } : {}),
      flakiness: pick([0, 0, 0.05, 0.2, 0.5]),
    };
  });
  // Most traffic goes to a few hot endpoints: the others stay idle (the shape of the stall in issue 19).
  const hot = endpoints.slice(0, Math.max(1, Math.min(endpoints.length, int(1, 3))));
  const events: SimEvent[] = [];
  let n = 0;
  const bursts = int(1, 4);
  const sent: Array<{ endpoint: string; webhookId: string }> = [];
  for (let b = 0; b < bursts; b++) {
    const start = int(0, 20_000);
    const size = int(1, chance(0.2) ? 40 : 12);
    for (let i = 0; i < size; i++) {
      const endpoint = (chance(0.85) ? pick(hot) : pick(endpoints)).name;
      // A Hub retry or "Replay" of an earlier one sends its Webhook-Id again (a duplicate, or a failed one queued again).
      const again = sent.length > 0 && chance(0.1) ? pick(sent) : undefined;
      const arrival = again ?? { endpoint, webhookId: `wh-${seed}-${n}` };
      sent.push(arrival);
      events.push({ at: start + int(0, 300), kind: "arrive", process: int(0, processes - 1), endpoint: arrival.endpoint, n: n++, repo: pick(REPOS), webhookId: arrival.webhookId });
    }
  }
  const busyUntil = Math.max(...events.map((e) => e.at));
  for (let i = chance(0.3) ? int(1, 3) : 0; i > 0; i--) events.push({ at: int(0, busyUntil + 10_000), kind: "replay", process: int(0, processes - 1), pick: int(0, 10_000) });
  if (chance(0.15)) events.push({ at: int(busyUntil, busyUntil + 30_000), kind: "bulk-replay", process: int(0, processes - 1) });
  // At most one process down at a time: a restart comes before the next crash.
  let downUntil = 0;
  for (let i = chance(0.35) ? int(1, 2) : 0; i > 0; i--) {
    const at = Math.max(downUntil + 1, int(0, busyUntil + 5_000));
    const restartAfter = pick([0, 100, 1_000, 3_000]);
    const process = int(0, processes - 1);
    events.push(chance(0.75)
      ? { at, kind: "crash", process, restartAfter }
      : { at, kind: "stop", process, restartAfter });
    downUntil = at + restartAfter + 2_500;
  }
  // A partition while handlers run (just after an arrival, in the process it reached), mostly where another process
  // can take the attempts over.
  const arrivals = events.filter((e) => e.kind === "arrive");
  if (chance(processes === 2 ? 0.5 : 0.1) && arrivals.length > 0) {
    const arrival = pick(arrivals);
    const at = Math.max(downUntil + 1, arrival.at + int(1, 60));
    const durationMs = leaseMs + int(500, leaseMs);
    events.push({ at, kind: "freeze", process: arrival.process, durationMs });
    downUntil = at + durationMs + 2_500;
  }
  events.sort((a, b) => a.at - b.at || order(a) - order(b));
  const shutdownGraceMs = pick([0, 100, 2_000]);
  return { seed, processes, leaseMs, shutdownGraceMs, endpoints, events, horizonMs: Math.max(...events.map((e) => e.at)) + 240_000 };
}

function order(e: SimEvent): number {
  return e.kind === "arrive" ? e.n : 1e9;
}

/** What attempt `attempt` of delivery `n` does on `endpoint` (a hash of the three with the seed: order-independent). */
export function behaviourOf(seed: number, endpoint: SimEndpoint, n: number, attempt: number): Behaviour {
  const r = mulberry32((seed * 2_654_435_761) ^ (n * 40_503) ^ (attempt * 97_531));
  r();
  const latencyMs = r() < 0.2 ? 0 : Math.floor(r() * 120);
  const roll = r();
  if (roll >= endpoint.flakiness) return { kind: "ok", latencyMs };
  const failure = r();
  if (failure < 0.55) return { kind: "throw", latencyMs };
  if (failure < 0.7) return { kind: "non-retryable", latencyMs };
  if (failure < 0.9) return { kind: "hang" };
  return { kind: "stubborn" };
}
