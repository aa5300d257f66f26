import { vi } from "vitest";
import { NonRetryableError } from "../../src/errors.js";
import type { HandlerContext } from "../../src/server/endpoint.js";
import type { WebhooksServer } from "../../src/server/webhooks-server.js";
import type { DeliveryStore } from "../../src/store/types.js";
import { fenceStore, type FencedStore, type ScheduleSeen } from "./fenced-store.js";
import { checkEnd, type AttemptRun, type Invariant, type Violation } from "./invariants.js";
import { Ledger } from "./ledger.js";
import { lateDeliveries } from "./liveness.js";
import type { LogView, RowView } from "./log-view.js";
import { mulberry32 } from "./prng.js";
import { behaviourOf, type Scenario, type SimEndpoint, type SimEvent } from "./scenario.js";
import { post, pushBody, runUntil, simServer, sleep } from "./sim-server.js";
import { nextTimerAt, realTurn, step, timeoutDue, useVirtualTime } from "./virtual-time.js";

/** A fresh, migrated log for one run: each simulated process opens its own connection; the view reads the truth. */
export interface SimLog {
  open(): Promise<DeliveryStore>;
  view: LogView;
  dispose(): Promise<void>;
}

export interface SimEngine {
  name: "sqlite" | "postgres";
  create(seed: number): Promise<SimLog>;
}

export interface SimResult {
  seed: number;
  engine: string;
  violations: Violation[];
  stats: { deliveries: number; acked: number; attempts: number; crashes: number; stops: number; freezes: number; lostLeases: number; timers: number; virtualMs: number };
}

interface Proc {
  index: number;
  gen: number;
  app: WebhooksServer;
  fence: FencedStore;
  real: DeliveryStore;
  state: "up" | "stopping" | "down" | "frozen";
}

type Timed = SimEvent | { at: number; kind: "restart" | "thaw"; process: number };

const T0 = Date.UTC(2026, 0, 1);
const NEVER = new Promise<never>(() => {});
/** Violations kept per run (one per invariant and delivery; a stalled queue would report thousands). */
const MAX_VIOLATIONS = 40;

/**
 * Run one scenario against the real server, queue and log engine, in virtual time, checking the invariants after
 * every step (handler starts: concurrency and ordering; every time the clock is about to move: liveness) and at the
 * end (finality, lost leases, retry schedule, debounce/throttle).
 */
export async function simulate(scenario: Scenario, engine: SimEngine, options: { maxTimers?: number } = {}): Promise<SimResult> {
  const log = await engine.create(scenario.seed);
  const random = mulberry32(scenario.seed ^ 0x5eed5);
  useVirtualTime(T0);
  // The queue's backoff jitter: seeded, so a seed replays the same retry times.
  const mathRandom = vi.spyOn(Math, "random").mockImplementation(random);
  const run = new Run(scenario, log, options.maxTimers ?? 400_000);
  try {
    await run.run();
  } catch (error) {
    run.violate("harness", `the run threw: ${error instanceof Error ? error.stack : String(error)}`);
  } finally {
    for (const proc of run.procs) proc.fence.crash();
    mathRandom.mockRestore();
    vi.useRealTimers();
    await Promise.all(run.procs.map((p) => p.real).concat(run.retired).map((s) => s.close().catch(() => {})));
    await log.dispose();
  }
  if (process.env.SIM_PROFILE === "1") console.log(`[prof] seed ${scenario.seed}`, JSON.stringify(Object.fromEntries(Object.entries(run.prof).map(([k, v]) => [k, Math.round(v)]))));
  return run.result(engine.name);
}

class Run {
  readonly procs: Proc[] = [];
  /** Connections of dead processes (closed at the end, once real timers are back). */
  readonly retired: DeliveryStore[] = [];
  readonly #scenario: Scenario;
  readonly #log: SimLog;
  readonly #endpoints: Map<string, SimEndpoint>;
  readonly #maxTimers: number;
  readonly #ledger = new Ledger();
  readonly #deadGens = new Set<number>();
  readonly #violations: Violation[] = [];
  readonly #reported = new Set<string>();
  readonly #acked = new Map<string, string>(); // delivery id → endpoint, in answer order
  readonly #reseries = new Set<string>();
  readonly #webhookIds = new Map<string, number>();
  readonly #schedules: ScheduleSeen[] = [];
  /** Which process (by index) last had a delivery in hand: recorded and answered it, ran it, or replayed it. */
  readonly #owner = new Map<string, number>();
  /** When each delivery's owner was last set (virtual ms). */
  readonly #ownedAt = new Map<string, number>();
  /** The process a webhook id was last posted to, and when: a Hub re-delivery re-queues the delivery there. */
  readonly #posted = new Map<string, { proc: number; at: number }>();
  #events: Timed[];
  #gens = 0;
  #timers = 0;
  #crashes = 0;
  #stops = 0;
  #freezes = 0;
  #lostLeases = 0;
  #deliveries = 0;
  #unsettled: RowView[] = [];
  /** Store calls of every process (dead ones included) when `#unsettled` was read: no call since, no change. */
  #readAtCalls = -1;
  #deadCalls = 0;
  #endedAt = T0;
  /** SIM_TRACE=1: what happens, line by line (arrivals, handler runs, checks), for one seed. */
  readonly #trace = process.env.SIM_TRACE === "1" ? (line: string) => console.log(`[trace ${Date.now() - T0}] ${line}`) : undefined;

  constructor(scenario: Scenario, log: SimLog, maxTimers: number) {
    this.#scenario = scenario;
    this.#log = log;
    this.#maxTimers = maxTimers;
    this.#endpoints = new Map(scenario.endpoints.map((e) => [e.name, e]));
    this.#events = [...scenario.events];
  }

  violate(invariant: Invariant, detail: string, dedupe = detail): void {
    const key = `${invariant} ${dedupe}`;
    if (this.#reported.has(key) || this.#violations.length >= MAX_VIOLATIONS) return;
    this.#reported.add(key);
    this.#violations.push({ invariant, at: Date.now() - T0, detail });
  }

  result(engine: string): SimResult {
    return {
      seed: this.#scenario.seed, engine, violations: this.#violations,
      stats: {
        deliveries: this.#deliveries, acked: this.#acked.size, attempts: this.#ledger.runs.length, crashes: this.#crashes,
        stops: this.#stops, freezes: this.#freezes, lostLeases: this.#lostLeases, timers: this.#timers, virtualMs: this.#endedAt - T0,
      },
    };
  }

  readonly prof: Record<string, number> = {};
  async #timed<T>(name: string, work: Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await work;
    } finally {
      this.prof[name] = (this.prof[name] ?? 0) + performance.now() - t;
    }
  }

  async run(): Promise<void> {
    for (let i = 0; i < this.#scenario.processes; i++) await this.#timed("start", this.#start(i));
    const horizon = T0 + this.#scenario.horizonMs;
    for (;;) {
      // Node's order within one time: expired timers, then I/O, then immediates. Requests and operator actions due
      // now are the I/O: after the timeouts due now, before the immediates pending now.
      if (timeoutDue()) {
        await this.#timed("step", this.#step());
        continue;
      }
      while (this.#events.length > 0 && T0 + this.#events[0]!.at <= Date.now()) await this.#timed("fire", this.#fire(this.#events.shift()!));
      await this.#timed("io", this.#waitForIo());
      if (nextTimerAt() <= Date.now()) {
        await this.#timed("step", this.#step());
        continue;
      }
      await this.#timed("turn", realTurn());
      if (this.#inFlight() > 0 || nextTimerAt() <= Date.now()) continue;
      // Quiescent: nothing more happens at this time without the clock moving. The liveness rule is checked here.
      await this.#timed("check", this.#checkQuiescent());
      if (this.#events.length === 0 && this.#unsettled.length === 0 && this.procs.every((p) => p.state === "up")) break;
      if (Date.now() >= horizon) break;
      const eventAt = this.#events.length > 0 ? T0 + this.#events[0]!.at : Number.POSITIVE_INFINITY;
      const timerAt = nextTimerAt();
      if (eventAt === Number.POSITIVE_INFINITY && timerAt === Number.POSITIVE_INFINITY) break;
      if (eventAt < timerAt) await vi.advanceTimersByTimeAsync(Math.min(eventAt, horizon) - Date.now());
      else if (timerAt > horizon) await vi.advanceTimersByTimeAsync(horizon - Date.now());
      else await this.#timed("step", this.#step());
    }
    this.#endedAt = Date.now();
    const [rows, history] = [await this.#log.view.rows(), await this.#log.view.attempts()];
    this.#deliveries = rows.length;
    // Attempts taken over while their process was cut off from the log: each one's own settle came late and lost.
    const lost = new Set(history.filter((h) => h.outcome === "lease-expired").map((h) => `${h.deliveryId}#${h.attempt}`));
    this.#lostLeases = this.#ledger.runs.filter((r) => r.partitioned && r.result !== "crashed" && lost.has(`${r.deliveryId}#${r.attempt}`)).length;
    // A Webhook-Id sent again queued a failed or dead delivery again: a new series, like a replay.
    for (const row of rows) if (row.webhookId && (this.#webhookIds.get(row.webhookId) ?? 0) > 1) this.#reseries.add(row.id);
    for (const v of checkEnd({
      rows, history, ledger: this.#ledger.runs, endpoints: this.#endpoints, acked: new Set(this.#acked.keys()),
      reseries: this.#reseries, schedules: this.#schedules, t0: T0,
    })) this.violate(v.invariant, v.detail);
  }

  async #step(): Promise<void> {
    if (++this.#timers > this.#maxTimers) throw new Error(`livelock: more than ${this.#maxTimers} timers fired`);
    await step();
  }

  #inFlight(): number {
    return this.procs.reduce((n, p) => n + p.fence.inFlight, 0);
  }

  /** Real I/O (Postgres) answers on real sockets: wait for it with the clock standing still. */
  async #waitForIo(): Promise<void> {
    for (let turns = 0; this.#inFlight() > 0; turns++) {
      if (turns > 2_000_000) throw new Error("a store call never answered");
      await realTurn();
    }
  }

  async #start(index: number): Promise<void> {
    const s = this.#scenario;
    const real = await runUntil(this.#log.open(), 1_000_000, { advance: false });
    const fence = fenceStore(real, (seen) => this.#schedules.push(seen));
    const gen = ++this.#gens;
    const app = simServer({ store: fence.store, clock: { now: () => Date.now() }, leaseMs: s.leaseMs, shutdownGraceMs: s.shutdownGraceMs });
    for (const endpoint of s.endpoints) this.#register(app, endpoint, index, gen);
    const proc: Proc = { index, gen, app, fence, real, state: "up" };
    this.procs[index] = proc;
    await runUntil(app.start(), 1_000_000, { advance: false });
    const queue = app.queue;
    if (this.#trace && queue) {
      const tick = queue.tick.bind(queue);
      queue.tick = () => {
        this.#trace?.(`p${index}g${gen} tick`);
        return tick().then((n) => (this.#trace?.(`p${index}g${gen} tick claimed ${n}`), n));
      };
    }
  }

  #own(id: string, proc: number): void {
    this.#owner.set(id, proc);
    this.#ownedAt.set(id, Date.now());
  }

  /**
   * Who has each waiting delivery in hand: the last process that recorded, ran or replayed it, or the one a Hub
   * re-delivery of it was posted to since (that process re-queued it, before its answer is back).
   */
  #owners(): Map<string, number> {
    const owners = new Map(this.#owner);
    for (const row of this.#unsettled) {
      const post = row.webhookId === null ? undefined : this.#posted.get(row.webhookId);
      if (post && post.at >= (this.#ownedAt.get(row.id) ?? -Infinity)) owners.set(row.id, post.proc);
    }
    return owners;
  }

  #register(app: WebhooksServer, e: SimEndpoint, proc: number, gen: number): void {
    const options = {
      concurrency: e.concurrency, mode: e.mode, timeoutMs: e.timeoutMs, retry: e.retry,
      ...(e.ordered ? { orderingKey: "repo" as const } : {}),
    };
    const handler = (payload: unknown, ctx: HandlerContext) => this.#handle(e, proc, gen, payload, ctx);
    if (e.schedule) app.addWebhook(e.name, options).on("repo.content.update", { [e.schedule.mode]: { key: "repo", ms: e.schedule.ms } }, handler);
    else app.addWebhook(e.name, options, handler);
  }

  /** The simulated handler: records its run (checking concurrency and ordering as it starts), then behaves as drawn. */
  async #handle(e: SimEndpoint, proc: number, gen: number, payload: unknown, ctx: HandlerContext): Promise<unknown> {
    const repo = (payload as { repo: { name: string; headSha: string } }).repo;
    const n = Number.parseInt(repo.headSha, 16);
    const run: AttemptRun = { proc, gen, endpoint: e.name, key: repo.name, deliveryId: ctx.deliveryId, n, attempt: ctx.attempt, start: Date.now(), active: true };
    for (const broken of this.#ledger.start(run, e)) this.violate(broken.invariant, broken.detail, `${e.name} ${ctx.deliveryId}`);
    this.#own(ctx.deliveryId, proc);
    const end = (result: NonNullable<AttemptRun["result"]>) => this.#ledger.end(run, result, Date.now());
    const { signal } = ctx;
    signal.addEventListener("abort", () => end("aborted"), { once: true });
    const behaviour = behaviourOf(this.#scenario.seed, e, n, ctx.attempt);
    this.#trace?.(`start ${e.name} ${ctx.deliveryId}#${ctx.attempt} n=${n} key=${repo.name} p${proc}g${gen} ${JSON.stringify(behaviour)}`);
    signal.addEventListener("abort", () => this.#trace?.(`abort ${ctx.deliveryId}#${ctx.attempt}: ${String(signal.reason)}`), { once: true });
    if (behaviour.kind === "hang") {
      await new Promise((_, reject) => (signal.aborted ? reject(signal.reason) : signal.addEventListener("abort", () => reject(signal.reason), { once: true })));
    }
    if (behaviour.kind === "stubborn") await NEVER;
    if (behaviour.kind === "hang" || behaviour.kind === "stubborn") return undefined;
    if (behaviour.latencyMs > 0) await sleep(behaviour.latencyMs); // most handlers do not watch their signal
    if (this.#deadGens.has(gen)) await NEVER; // a killed process's code never goes on
    end(behaviour.kind);
    this.#trace?.(`end ${e.name} ${ctx.deliveryId}#${ctx.attempt} ${behaviour.kind}`);
    if (behaviour.kind === "throw") throw new Error(`simulated failure of delivery ${n}, attempt ${ctx.attempt}`);
    if (behaviour.kind === "non-retryable") throw new NonRetryableError(`simulated refusal of delivery ${n}`);
    return { n, attempt: ctx.attempt };
  }

  async #fire(event: Timed): Promise<void> {
    this.#trace?.(`event ${JSON.stringify(event)}`);
    // Requests go to any process that listens (a load balancer); a crash or a stop hits its own process only.
    const proc = event.kind === "arrive" || event.kind === "replay" || event.kind === "bulk-replay"
      ? this.#up(event.process)
      : event.kind === "thaw" || this.procs[event.process]?.state === "up" ? this.procs[event.process] : undefined;
    switch (event.kind) {
      case "arrive": {
        if (!proc) return; // nobody listening: the Hub gets a connection error and retries later (not acknowledged)
        this.#posted.set(event.webhookId, { proc: proc.index, at: Date.now() });
        const seen = this.#webhookIds.get(event.webhookId) ?? 0;
        this.#webhookIds.set(event.webhookId, seen + 1);
        const answer = post(proc.app, event.endpoint, pushBody(event.repo, event.n), event.webhookId);
        void answer.then((res) => {
          const id = res.headers.get("x-hubhooks-delivery");
          this.#trace?.(`answer ${event.n} → ${res.status} ${id}`);
          if (res.status >= 200 && res.status < 300) {
            if (id) {
              this.#acked.set(id, event.endpoint);
              this.#own(id, proc.index);
            }
          } else if (res.status !== 503) {
            this.violate("answer", `delivery ${event.n} on ${event.endpoint} (process ${proc.index}) answered ${res.status}${id ? ` (${id})` : ""}`);
          }
        }, (error: unknown) => this.violate("harness", `fetch of delivery ${event.n} threw: ${String(error)}`));
        return;
      }
      case "replay": {
        if (!proc?.app.store) return;
        const ids = [...this.#acked].filter(([, endpoint]) => !this.#endpoints.get(endpoint)?.schedule).map(([id]) => id);
        if (ids.length === 0) return;
        const id = ids[event.pick % ids.length]!;
        this.#reseries.add(id);
        this.#own(id, proc.index);
        if (await proc.app.store.replay(id, Date.now())) proc.app.queue?.notify();
        return;
      }
      case "bulk-replay": {
        if (!proc?.app.store) return;
        for (const row of await this.#log.view.rows()) {
          if (row.status !== "dead") continue;
          this.#reseries.add(row.id);
          this.#own(row.id, proc.index);
        }
        let replayed = 0;
        for (const e of this.#scenario.endpoints) {
          if (!e.schedule) replayed += await proc.app.store.replayMatching({ endpoint: e.name, status: "dead" }, Date.now());
        }
        if (replayed > 0) proc.app.queue?.notify();
        return;
      }
      case "crash": {
        if (!proc) return;
        this.#crashes++;
        this.#kill(proc, "crashed");
        this.#schedule({ at: event.at + event.restartAfter, kind: "restart", process: event.process });
        return;
      }
      case "stop": {
        if (!proc) return;
        this.#stops++;
        proc.state = "stopping";
        void proc.app.close().then(
          () => {
            this.#kill(proc, "stopped");
            this.#schedule({ at: Date.now() - T0 + event.restartAfter, kind: "restart", process: event.process });
          },
          (error: unknown) => this.violate("harness", `close() failed: ${String(error)}`),
        );
        return;
      }
      case "freeze": {
        if (!proc) return;
        this.#freezes++;
        proc.state = "frozen";
        proc.fence.freeze();
        this.#ledger.partition(proc.gen, Date.now());
        this.#schedule({ at: event.at + event.durationMs, kind: "thaw", process: event.process });
        return;
      }
      case "thaw": {
        const frozen = this.procs[event.process];
        if (frozen?.state !== "frozen") return;
        frozen.state = "up";
        frozen.fence.thaw();
        return;
      }
      case "restart": {
        if (this.procs[event.process]?.state === "down") await this.#start(event.process);
      }
    }
  }

  /** The process is gone: its handlers stop counting, its connection answers nothing more. */
  #kill(proc: Proc, why: "crashed" | "stopped"): void {
    this.#deadCalls += proc.fence.calls;
    proc.fence.crash();
    proc.state = "down";
    this.#deadGens.add(proc.gen);
    this.retired.push(proc.real);
    // A run that ended in this same instant has its settle still waiting for the group commit: it dies with it.
    this.#ledger.partition(proc.gen, Date.now());
    this.#ledger.endGen(proc.gen, why, Date.now());
  }

  #schedule(event: Timed): void {
    this.#events.push(event);
    this.#events.sort((a, b) => a.at - b.at);
  }

  #up(index: number): Proc | undefined {
    const proc = this.procs[index];
    if (proc?.state === "up") return proc;
    return this.procs.find((p) => p.state === "up");
  }

  /** Liveness at a quiescent instant (see liveness.ts); the log is read again only if a store call happened since. */
  async #checkQuiescent(): Promise<void> {
    const calls = this.#deadCalls + this.procs.reduce((n, p) => n + (p.state === "down" ? 0 : p.fence.calls), 0);
    if (calls !== this.#readAtCalls) {
      this.#unsettled = await this.#log.view.unsettled();
      this.#readAtCalls = calls;
    }
    const procs = this.procs.map((p) => ({
      index: p.index, up: p.state === "up",
      running: (endpoint: string) => this.#ledger.running(p.gen, endpoint),
    }));
    for (const late of lateDeliveries(this.#unsettled, Date.now(), this.#endpoints, procs, this.#owners(), this.#scenario.processes)) {
      const { endpoint, count, oldest, dueForMs, freeIn } = late;
      this.violate(
        "liveness",
        `${endpoint}: ${count} due (oldest ${oldest.id}, ${oldest.status}, due ${dueForMs} ms ago) while process ${freeIn.join(" and ")} has a free slot (concurrency ${this.#endpoints.get(endpoint)!.concurrency})`,
        oldest.id,
      );
    }
  }
}
