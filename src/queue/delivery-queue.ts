import { HubhooksError } from "../errors.js";
import { systemClock, type Clock } from "../internal/clock.js";
import type { DeliveryRecord } from "../store/types.js";
import { OutcomeWaiters } from "./outcome-waiters.js";
import { QUEUE_DEFAULTS, type DeliveryQueueOptions } from "./queue-options.js";
import { GroupCommit } from "./group-commit.js";
import { DEFAULT_RETRY } from "./retry-policy.js";
import { Deferred } from "./deferred.js";
import { runAttempt } from "./run-attempt.js";
import { settleAttempt } from "./settle-attempt.js";
import { timerDelay } from "./timer-delay.js";
import type { NextOutcome, QueueEndpoint, QueueEndpoints } from "./types.js";

const MAX_DRAIN_ROUNDS = 100_000;
const PENDING: Promise<NextOutcome> = Promise.resolve({ status: "pending" });

interface Job {
  delivery: DeliveryRecord;
  endpoint: QueueEndpoint;
  controller: AbortController;
  leaseUntil: number;
  done: Promise<void>;
}

/**
 * Runs recorded deliveries: claims due ones from the store in batches (one statement per endpoint for up to its
 * free slots, so any number of processes can share a database), or takes one over from memory right after this
 * process recorded it (`reserve` + `runRecorded`: no claim, no second parse), runs its handler with a timeout,
 * renews leases, and settles each attempt (batched by `GroupCommit`) as succeeded, failed (retry with backoff)
 * or dead. Per-endpoint concurrency is counted per process and frees a slot when the handler returns; ordering
 * keys are enforced by the claim SQL across processes.
 * @example
 * const queue = new DeliveryQueue({ store, endpoints: { get: (n) => map.get(n), names: () => [...map.keys()] } });
 * queue.start();
 * const { delivery } = await store.record(input);
 * const outcome = queue.waitFor(delivery.id, AbortSignal.timeout(25_000)); // before notify()
 * queue.notify();
 * await queue.stop(10_000);
 */
export class DeliveryQueue {
  readonly #o: DeliveryQueueOptions;
  readonly #endpoints: QueueEndpoints;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #leaseMs: number;
  readonly #writes: GroupCommit;
  readonly #jobs = new Map<string, Job>();
  readonly #active = new Map<string, number>();
  readonly #waiters = new OutcomeWaiters();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #background = new Set<Promise<void>>();
  #wake: ReturnType<typeof setTimeout> | undefined;
  #tickChain: Promise<unknown> = Promise.resolve();
  #notifyScheduled = false;
  #armQueued = false;
  #tickQueued = false;
  /**
   * The endpoints whose log may hold due work this process has not claimed (the liveness rule, ARCHITECTURE.md):
   * an endpoint enters by `notify(name)` (a delivery recorded without the hand-off), by a claim that filled all the
   * slots it asked for it, by an attempt of it that failed (its retry: the next claim arms the wake-up timer) and
   * by the end of one of its keyed attempts (a delivery waiting for that key may run now). It leaves when a claim
   * for it comes back short. "Short" is decided per endpoint: an idle endpoint never makes a busy one wait.
   * A handed-over delivery that succeeds leaves the set alone, so its end costs no claim query.
   */
  readonly #due = new Set<string>();
  /** Every endpoint may have due work (start, the poll, the wake-up timer, a replay): resolved at the next tick. */
  #allDue = true;
  /** Jobs ended so far (lets drain() see a job that ended during a tick). */
  #settled = 0;
  #started = false;
  #stopping: Promise<void> | undefined;

  constructor(options: DeliveryQueueOptions) {
    this.#o = options;
    this.#endpoints = options.endpoints ?? endpointsOf(options);
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#leaseMs = options.leaseMs ?? QUEUE_DEFAULTS.leaseMs;
    this.#writes = options.writes ?? new GroupCommit(options.store);
  }

  /** How long a claim (or a hand-off) holds without renewal. */
  get leaseMs(): number {
    return this.#leaseMs;
  }

  /** Whether workers are claiming: started and not stopping (what `/readyz` reports). */
  get accepting(): boolean {
    return this.#started && !this.#stopping;
  }

  /** Deliveries running in this process now. */
  get running(): number {
    return this.#jobs.size;
  }

  /** Begin claiming; polling (unref'd) is only a safety net behind `notify()` and the wake-up timer. */
  start(): void {
    if (this.#started || this.#stopping) return;
    this.#started = true;
    this.#every(this.#o.pollIntervalMs ?? QUEUE_DEFAULTS.pollIntervalMs, () => this.notify());
    this.#every(this.#leaseMs / 4, () => this.#track(this.#renewLeases()));
    const retention = this.#o.retention ?? QUEUE_DEFAULTS.retention;
    if (retention) {
      const prune = () => this.#track(this.#prune(retention.succeededMaxAgeMs));
      prune();
      this.#every(this.#o.pruneIntervalMs ?? QUEUE_DEFAULTS.pruneIntervalMs, prune);
    }
    this.notify();
  }

  /**
   * Claim at once (next turn of the event loop, coalesced): call after recording a delivery. With an endpoint name
   * only that endpoint's log is asked; without one (a replay, the poll, another process's notice) every endpoint's.
   */
  notify(endpoint?: string): void {
    if (endpoint === undefined) this.#allDue = true;
    else this.#due.add(endpoint);
    this.#wakeUp();
  }

  /** Whether this endpoint may have due work to claim (or every endpoint may). */
  #mayHaveWork(endpoint: string): boolean {
    return this.#allDue || this.#due.has(endpoint);
  }

  #tickSoon(): void {
    if (this.#tickQueued || !this.#started || this.#stopping) return;
    this.#tickQueued = true;
    queueMicrotask(() => {
      this.#tickQueued = false;
      this.tick().catch((error: unknown) => this.#o.logger?.error({ err: error }, "queue tick failed"));
    });
  }

  #wakeUp(): void {
    if (!this.#started || this.#stopping || this.#notifyScheduled) return;
    this.#notifyScheduled = true;
    setImmediate(() => {
      this.#notifyScheduled = false;
      this.tick().catch((error: unknown) => this.#o.logger?.error({ err: error }, "queue tick failed"));
    });
  }

  /**
   * Take one of the endpoint's slots for a delivery about to be recorded with a lease (the hand-off); false when
   * none is free (or the queue is not running): record it unleased and `notify()` instead. Give the slot back
   * with `release` if the record turns out not to be leased (a duplicate), else pass it to `runRecorded`.
   */
  reserve(name: string): boolean {
    if (!this.#started || this.#stopping) return false;
    const endpoint = this.#endpoints.get(name);
    const active = this.#active.get(name) ?? 0;
    if (!endpoint || active >= Math.max(1, endpoint.concurrency)) return false;
    this.#active.set(name, active + 1);
    return true;
  }

  /** Give back a slot taken by `reserve` that no delivery used. */
  release(name: string): void {
    this.#addActive(name, -1);
    if (this.#mayHaveWork(name)) this.#wakeUp();
  }

  /**
   * Run a delivery this process just recorded with a lease (attempt 1 counted by the insert) from memory, on the
   * slot `reserve` took, with the payload already validated. With a `signal`, resolves with its outcome once
   * written, or "pending" once `signal` aborts (the attempt goes on); without one, nobody waits.
   */
  runRecorded(delivery: DeliveryRecord, payload: unknown, signal?: AbortSignal): Promise<NextOutcome> {
    const next = signal ? this.#waiters.wait(delivery.id, signal) : PENDING;
    if (delivery.leaseUntil !== null && delivery.leaseUntil <= this.#clock.now()) {
      // Its lease ran out before the record was written (the log stalled longer than leaseMs): a claim may take it
      // over at any moment, so running it from memory would run it twice. The claim runs it instead, as attempt 2.
      this.release(delivery.endpoint);
      this.notify(delivery.endpoint);
      return next;
    }
    this.#startJob(delivery, payload, true);
    return next;
  }

  /**
   * Resolves with the outcome of the NEXT attempt of this delivery run in this process, or "pending" once
   * `signal` aborts (or the queue stops). Register before `notify()` so a fast attempt isn't missed.
   */
  waitFor(id: string, signal: AbortSignal): Promise<NextOutcome> {
    if (this.#stopping) return Promise.resolve({ status: "pending" });
    return this.#waiters.wait(id, signal);
  }

  /** Claim and start everything due at `clock.now()` that has a free slot; returns how many started. */
  tick(): Promise<number> {
    // Serialized: two overlapping ticks could both see the same free slot.
    const run = this.#tickChain.then(() => this.#tickOnce());
    this.#tickChain = run.catch(() => undefined);
    return run;
  }

  /** Until nothing is due now and nothing runs in this process. Never sleeps on real time for due work. */
  async drain(): Promise<void> {
    // Every endpoint's log is asked at the start, and again when the queue would go idle while something came due
    // after the last such sweep (a test's clock moved past a retry or a lease); between those, the liveness rule
    // decides. (Sweeping again whenever the clock had moved busy-looped on Postgres, where a sweep takes over 1 ms.)
    let sweptAt = Number.NaN;
    for (let round = 0; round < MAX_DRAIN_ROUNDS; round++) {
      if (round === 0) {
        this.#allDue = true;
        sweptAt = this.#clock.now();
      }
      const settledBefore = this.#settled;
      const started = await this.tick();
      if (this.#jobs.size === 0) {
        // A job that ended during the tick may have freed a slot or an ordering key after the claim.
        if (started > 0 || this.#settled !== settledBefore) continue;
        // Idle: done, unless something came due since the last sweep (the clock moved past a retry or a lease).
        const now = this.#clock.now();
        if (now === sweptAt) return;
        const next = await this.#o.store.nextDueAt([...this.#endpoints.names()], sweptAt);
        if (next === null || next > now) return;
        this.#allDue = true;
        sweptAt = now;
        continue;
      }
      await Promise.race([...this.#jobs.values()].map((job) => job.done));
    }
    throw new HubhooksError("INTERNAL", `drain() still had work after ${MAX_DRAIN_ROUNDS} rounds.`);
  }

  /** Stop claiming; wait for running handlers up to `graceMs`, then abort their signals (QUEUE_STOPPED). */
  stop(graceMs: number): Promise<void> {
    this.#stopping ??= this.#stop(graceMs);
    return this.#stopping;
  }

  async #stop(graceMs: number): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers.clear();
    if (this.#wake) clearTimeout(this.#wake);
    await this.#tickChain;
    const all = Promise.all([...this.#jobs.values()].map((job) => job.done));
    let grace: ReturnType<typeof setTimeout> | undefined;
    const finished = await Promise.race([
      all.then(() => true),
      new Promise<false>((resolve) => {
        // An infinite grace waits for ever (setTimeout would turn it into 1 ms).
        if (Number.isFinite(graceMs)) grace = setTimeout(() => resolve(false), timerDelay(graceMs));
      }),
    ]);
    clearTimeout(grace);
    if (!finished) {
      const reason = new HubhooksError("QUEUE_STOPPED", `Queue stopped: handler aborted after a ${graceMs} ms grace period.`);
      for (const job of this.#jobs.values()) job.controller.abort(reason);
      await all;
    }
    this.#waiters.resolveAll({ status: "pending" });
    await Promise.all([...this.#background]);
  }

  async #tickOnce(): Promise<number> {
    if (this.#stopping) return 0;
    await this.#renewLeases();
    if (this.#allDue) {
      this.#allDue = false;
      for (const name of this.#endpoints.names()) this.#due.add(name);
    }
    if (!this.#hasFreeSlot()) return 0;
    let slots: Array<{ endpoint: string; limit: number }> = [];
    let claimedAt = this.#clock.now();
    let claimed: DeliveryRecord[];
    try {
      // Through the group commit: it rides in the same transaction as the settles of the jobs that freed the slots,
      // and its slots are counted when that batch is written, so every slot freed until then is in this one claim.
      claimed = await this.#writes.claim(() => {
        slots = this.#freeSlots();
        if (slots.length === 0) return null;
        // The slots asked for are taken now, before the claim is written: a hand-off (`reserve`) arriving while
        // the claim is in flight must not take one of them too (that ran concurrency + 1 handlers at once).
        for (const { endpoint, limit } of slots) {
          this.#addActive(endpoint, limit);
          this.#due.delete(endpoint); // a notify(endpoint) during the claim adds it again
        }
        claimedAt = this.#clock.now();
        return { now: claimedAt, leaseMs: this.#leaseMs, slots };
      });
    } catch (error) {
      for (const { endpoint, limit } of slots) {
        this.#addActive(endpoint, -limit);
        this.#due.add(endpoint);
      }
      throw error;
    }
    const got = new Map<string, number>();
    for (const delivery of claimed) got.set(delivery.endpoint, (got.get(delivery.endpoint) ?? 0) + 1);
    let short = false;
    for (const { endpoint, limit } of slots) {
      const n = got.get(endpoint) ?? 0;
      // Slots asked for and not filled go back; a claim that filled them all may have left more behind.
      this.#addActive(endpoint, n - limit);
      if (n >= limit) this.#due.add(endpoint);
      else short = true;
    }
    for (const delivery of claimed) this.#startJob(delivery, undefined, true);
    // An endpoint came back short: nothing else of it is due now, so arm a timer for what is due next.
    if (short && this.#started) await this.#armWakeUp(claimedAt);
    return claimed.length;
  }

  /** Slots of this process taken on an endpoint (running, handed over, or asked for by a claim in flight). */
  #addActive(endpoint: string, delta: number): void {
    this.#active.set(endpoint, (this.#active.get(endpoint) ?? 0) + delta);
  }

  /** Whether an endpoint that may have due work has a free slot (what #freeSlots would list, without the list). */
  #hasFreeSlot(): boolean {
    for (const name of this.#due) {
      const endpoint = this.#endpoints.get(name);
      if (endpoint && (this.#active.get(name) ?? 0) < Math.max(1, endpoint.concurrency)) return true;
    }
    return false;
  }

  /** Free slots of the endpoints that may have due work. */
  #freeSlots(): Array<{ endpoint: string; limit: number }> {
    const slots: Array<{ endpoint: string; limit: number }> = [];
    for (const name of this.#due) {
      const endpoint = this.#endpoints.get(name);
      if (!endpoint) {
        this.#due.delete(name);
        continue;
      }
      const limit = Math.max(1, endpoint.concurrency) - (this.#active.get(name) ?? 0);
      if (limit > 0) slots.push({ endpoint: name, limit });
    }
    return slots;
  }

  /** `reserved`: the slot was taken by `reserve` (a hand-off), else it is taken here. */
  #startJob(delivery: DeliveryRecord, payload?: unknown, reserved = false): void {
    const key = `${delivery.id}#${delivery.attempts}`;
    const endpoint = this.#endpoints.get(delivery.endpoint);
    if (!reserved) this.#addActive(delivery.endpoint, 1);
    const job: Job = {
      delivery,
      endpoint: endpoint ?? missingEndpoint(delivery.endpoint),
      controller: new AbortController(),
      leaseUntil: delivery.leaseUntil ?? this.#clock.now() + this.#leaseMs,
      done: Promise.resolve(),
    };
    this.#jobs.set(key, job);
    let slotHeld = true;
    const freeSlot = () => {
      if (!slotHeld) return;
      slotHeld = false;
      this.#addActive(delivery.endpoint, -1);
    };
    job.done = this.#runJob(job, payload, freeSlot)
      .catch((error: unknown) => this.#o.logger?.error(
        { err: error, deliveryId: delivery.id, endpoint: delivery.endpoint, webhookId: delivery.webhookId },
        "settling a delivery failed",
      ))
      .finally(() => {
        freeSlot();
        this.#jobs.delete(key);
        this.#settled++;
        if (this.#mayHaveWork(delivery.endpoint)) this.#wakeUp();
      });
  }

  /** `handlerDone` frees the slot as soon as the handler returns: the settle rides on the next group commit. */
  async #runJob(job: Job, payload: unknown, handlerDone: () => void): Promise<void> {
    const { delivery, endpoint } = job;
    const startedAt = this.#clock.now();
    this.#o.metrics?.queueLag(endpoint.name, (startedAt - (delivery.nextAttemptAt ?? delivery.receivedAt)) / 1000);
    const progress: string[] = [];
    const { metrics, telemetry } = this.#o;
    const result = await runAttempt(endpoint, delivery, job.controller, payload, progress, { metrics, telemetry });
    // A failure's retry is due later (the next claim arms the timer); a keyed delivery may be what another of its
    // key waits for.
    if (!result.ok || delivery.orderingKey !== null) this.#due.add(delivery.endpoint);
    handlerDone();
    // Claim for the freed slot now, so the claim joins this attempt's settle in one group commit.
    if (this.#mayHaveWork(delivery.endpoint)) this.#tickSoon();
    await settleAttempt(
      {
        writes: this.#writes,
        metrics: this.#o.metrics,
        logger: this.#o.logger,
        waiters: this.#waiters,
        secrets: this.#o.redact?.() ?? [],
        random: this.#random,
        ...(telemetry ? { telemetry } : {}),
        ...(this.#o.hooks ? { hooks: this.#o.hooks } : {}),
      },
      { delivery, endpoint, result, startedAt, now: this.#clock.now(), progress },
    );
    // A retry or a deferral (debounce, throttle) is due later: once its time is written, arm the timer for it. The
    // claim above may have run before this settle was written, and then saw the row still running under its lease.
    if (!result.ok || result.value instanceof Deferred) this.#armSoon();
  }

  /** Re-arm the wake-up timer from the log (coalesced with any other request in the same turn). */
  #armSoon(): void {
    if (this.#armQueued || !this.#started || this.#stopping) return;
    this.#armQueued = true;
    setImmediate(() => {
      this.#armQueued = false;
      // From just before now: a retry due at once (no backoff left, a shutdown's give-back) is claimed, not left to the poll.
      this.#armWakeUp(this.#clock.now() - 1).catch((error: unknown) => this.#o.logger?.warn({ err: error }, "arming the queue's wake-up failed"));
    });
  }

  /** Renew this process's leases at half-life (by the injected clock); a lost lease aborts the attempt. */
  async #renewLeases(): Promise<void> {
    const now = this.#clock.now();
    for (const job of [...this.#jobs.values()]) {
      if (job.leaseUntil - now > this.#leaseMs / 2 || job.controller.signal.aborted) continue;
      const leaseUntil = now + this.#leaseMs;
      const kept = await this.#o.store.extendLease(job.delivery.id, job.delivery.attempts, leaseUntil).catch(() => true);
      if (kept) job.leaseUntil = leaseUntil;
      else job.controller.abort(new HubhooksError("HANDLER_FAILED", "Lease lost: another worker took this attempt over."));
    }
  }

  /**
   * One timer to the next retry, deferral or lease expiry, when that comes before the next poll. `since`: the time
   * the last claim looked at (rows due after it were not claimable then); one that is already due now (the clock
   * moved while the claim was written, e.g. a stalled database) asks every endpoint at once instead of waiting.
   */
  async #armWakeUp(since: number): Promise<void> {
    const next = await this.#o.store.nextDueAt([...this.#endpoints.names()], since);
    const now = this.#clock.now();
    if (this.#wake) clearTimeout(this.#wake);
    this.#wake = undefined;
    const poll = this.#o.pollIntervalMs ?? QUEUE_DEFAULTS.pollIntervalMs;
    if (next === null || next - now >= poll || this.#stopping) return;
    if (next <= now) {
      this.notify();
      return;
    }
    // Something is due then on some endpoint: ask them all.
    this.#wake = setTimeout(() => this.notify(), timerDelay(next - now));
    this.#wake.unref?.();
  }

  async #prune(maxAgeMs: number): Promise<void> {
    try {
      const deleted = await this.#o.store.prune({ succeededBefore: this.#clock.now() - maxAgeMs });
      if (deleted > 0) this.#o.logger?.info({ deleted }, "pruned old succeeded deliveries");
    } catch (error) {
      this.#o.logger?.warn({ err: error }, "pruning deliveries failed");
    }
  }

  /** Background store work (prune, lease renewal) that stop() waits for before the store may close. */
  #track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.#o.logger?.warn({ err: error }, "queue background work failed"));
    this.#background.add(tracked);
    void tracked.finally(() => this.#background.delete(tracked));
  }

  #every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, timerDelay(ms));
    timer.unref?.();
    this.#timers.add(timer);
  }
}

function endpointsOf(o: DeliveryQueueOptions): QueueEndpoints {
  const { endpoint, endpointNames } = o;
  if (!endpoint || !endpointNames) {
    throw new HubhooksError("INVALID_OPTIONS", "DeliveryQueue needs endpoints: { get(name), names() } (or endpoint and endpointNames).");
  }
  return { get: endpoint, names: endpointNames };
}

function missingEndpoint(name: string): QueueEndpoint {
  return {
    name,
    concurrency: 1,
    timeoutMs: 0,
    retry: DEFAULT_RETRY,
    run: () => Promise.reject(new HubhooksError("INVALID_ENDPOINT", `No endpoint "${name}" is registered.`)),
  };
}
