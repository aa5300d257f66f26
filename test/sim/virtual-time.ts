import { vi } from "vitest";
import type { Clock } from "../../src/internal/clock.js";

/**
 * Virtual time for the queue tests and the simulation. vitest's fake timers (@sinonjs/fake-timers) replace the timers
 * the queue, the group commit, runAttempt's timeout and the handlers use (setTimeout/setInterval/setImmediate), and
 * `Date`; the clock handed to the server reads that same fake `Date`. So "now" in SQL, the lease renewals, the
 * wake-up timer, the 5 s poll, the timeouts and the handlers' latencies all move together, and only when the test
 * says so. `queueMicrotask` and `process.nextTick` stay real: they are not time, and promise chains run between
 * timers. The fake clock yields a real turn around each timer it fires, so real I/O (a Postgres socket) still flows.
 *
 * Why not an injectable timer set: the queue takes none today (that is a src change), and faking the globals also
 * covers every part it calls (group commit, runAttempt's timeout, the SQLite lock wait, the handlers' own sleeps).
 */
export const FAKED_TIMERS = ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "setImmediate", "clearImmediate", "Date"] as const;

/** The real `setImmediate`, captured at import (before any fake is installed): one real turn lets real I/O in. */
const realSetImmediate = globalThis.setImmediate;
/** The real `setTimeout`, for waiting on real I/O while the clock stands still. */
export const realTimeout = globalThis.setTimeout;

/** One real turn of the event loop, whatever the fake timers do. */
export const realTurn = (): Promise<void> => new Promise((resolve) => realSetImmediate(() => resolve()));

/** The fake-timers clock behind vitest's `vi` (it hangs on every faked function as `.clock`). */
interface FakeClock {
  now: number;
  nextAsync(): Promise<number>;
  timers?: Record<string, { callAt: number; createdAt: number; immediate?: boolean }>;
}
function fakeClock(): FakeClock {
  const clock = (globalThis.setTimeout as unknown as { clock?: FakeClock }).clock;
  if (!clock) throw new Error("virtual time is not installed: call useVirtualTime() first");
  return clock;
}

/** Start the virtual clock at `start` and return the Clock to inject (it reads the fake `Date`). */
export function useVirtualTime(start = Date.UTC(2026, 0, 1)): Clock {
  vi.useFakeTimers({ now: start, toFake: [...FAKED_TIMERS] });
  return { now: () => Date.now() };
}

/** When the next fake timer fires (an immediate: now), or Infinity when none is pending. */
export function nextTimerAt(): number {
  let next = Number.POSITIVE_INFINITY;
  for (const timer of Object.values(fakeClock().timers ?? {})) next = Math.min(next, timer.callAt);
  return next;
}

/** Whether a timeout or interval (not an immediate) is due now: Node runs all of those before any I/O or immediate. */
export function timeoutDue(): boolean {
  const clock = fakeClock();
  return Object.values(clock.timers ?? {}).some((t) => !t.immediate && t.callAt <= clock.now);
}

/**
 * Fire the next timer (moving the clock to it), with the promise chains it starts: one "turn" of virtual time, in
 * Node's order. fake-timers orders by time, then immediates first; Node runs every expired timer of a loop
 * iteration (timers phase), then I/O (poll phase), then the immediates (check phase). So while a timeout is due,
 * the immediates due now are held back a fraction of a millisecond, and put back at now once it has fired.
 */
export async function step(): Promise<void> {
  // Not vi.advanceTimersToNextTimerAsync(): it also runs `tick(0)` after the timer, i.e. every immediate due then,
  // synchronously, before any I/O (a request) could come in between.
  const clock = fakeClock();
  const now = clock.now;
  if (timeoutDue()) {
    for (const timer of Object.values(clock.timers ?? {})) if (timer.immediate && timer.callAt <= now) timer.callAt = now + 0.5;
  }
  await clock.nextAsync();
  // Held-back immediates return to now; and fake-timers gives a zero-delay timer created inside a timer's callback
  // 1 ms (so a loop of them cannot spin for ever), while Node runs such a `setImmediate` in the same turn, with no
  // time passing: those are put back at now too.
  for (const timer of Object.values(clock.timers ?? {})) {
    if (timer.immediate && timer.callAt > clock.now && (timer.callAt - clock.now < 1 || timer.createdAt === clock.now)) timer.callAt = clock.now;
  }
}

/**
 * Fire everything due now (immediates, expired timeouts and what they schedule at this same time) without moving
 * the clock; `extra` real turns let pending real I/O land. Bounded: throws past `limit` timers (a livelock).
 */
export async function settleNow(limit = 100_000, pendingIo: () => boolean = () => false): Promise<void> {
  for (let fired = 0; fired < limit; fired++) {
    while (pendingIo()) await realTurn();
    if (nextTimerAt() > Date.now()) {
      // Microtasks or I/O may still schedule something at this time.
      await realTurn();
      if (pendingIo()) continue;
      if (nextTimerAt() > Date.now()) return;
    }
    await step();
  }
  throw new Error(`virtual time stuck: more than ${limit} timers fired at ${new Date(Date.now()).toISOString()}`);
}

/**
 * Move the clock to `until`, firing every timer on the way in order (and what each one schedules); stops at `until`.
 */
export async function advanceTo(until: number, limit = 1_000_000, pendingIo?: () => boolean): Promise<void> {
  for (let fired = 0; fired < limit; fired++) {
    await settleNow(limit, pendingIo);
    const next = nextTimerAt();
    if (next > until) {
      // Nothing fires before `until`: tick there (setSystemTime would shift the pending timers instead).
      if (until > Date.now()) await vi.advanceTimersByTimeAsync(until - Date.now());
      return;
    }
    await step();
  }
  throw new Error(`virtual time stuck before ${new Date(until).toISOString()}`);
}

/** `advanceTo(now + ms)`. */
export const advance = (ms: number, pendingIo?: () => boolean): Promise<void> => advanceTo(Date.now() + ms, 1_000_000, pendingIo);

/** Something from outside the process (a request) that arrives at a virtual time. */
export interface Arrival {
  at: number;
  fire: () => void;
}

/**
 * Fire timers in order, and let each arrival in as soon as the clock reaches its time, BEFORE the immediates
 * pending at that time: Node runs I/O callbacks (an incoming request) in its poll phase, between the timers that
 * expired and `setImmediate` callbacks, while fake timers would run every immediate first and so hide the race
 * between a hand-off and a claim in flight. Returns when nothing is pending and `done()` holds (or nothing can
 * happen any more); throws past `limit` timers.
 */
export async function runArrivals(arrivals: Arrival[], done: () => boolean, limit = 2_000_000): Promise<void> {
  const queue = [...arrivals].sort((a, b) => a.at - b.at);
  let next = 0;
  for (let fired = 0; fired < limit; fired++) {
    if (timeoutDue()) {
      await step();
      continue;
    }
    while (next < queue.length && queue[next]!.at <= Date.now()) queue[next++]!.fire();
    const timerAt = nextTimerAt();
    const arrivalAt = queue[next]?.at ?? Number.POSITIVE_INFINITY;
    if (arrivalAt < timerAt) {
      await vi.advanceTimersByTimeAsync(arrivalAt - Date.now());
      continue;
    }
    if (timerAt === Number.POSITIVE_INFINITY) {
      await realTurn();
      if (done() || nextTimerAt() === Number.POSITIVE_INFINITY) return;
      continue;
    }
    if (done() && next >= queue.length) return;
    await step();
  }
  throw new Error(`runArrivals: more than ${limit} timers fired`);
}
