import type { DeliveryStore } from "../store/types.js";

/** The stored state of one debounce/throttle schedule (JSON in `trigger_schedules.state`). */
export interface ScheduleState {
  /** The newest delivery waiting for its time (`at`: when it was received; `due`: when it may run). */
  pending: { id: string; at: number; due: number } | null;
  /** The last delivery chosen to run; every older one it stood for is superseded by it. */
  chosen: { id: string; at: number } | null;
  /** When `chosen` was chosen (a throttle's period counts from there). */
  chosenAt: number | null;
}

/** What one delivery's scheduled step does now. */
export type ScheduleVerdict =
  | { run: true }
  | { run: false; deferUntil: number; reason: string }
  | { run: false; skip: string };

export interface ScheduleInput {
  mode: "debounce" | "throttle";
  ms: number;
  /** The delivery asking, and when it was received. */
  id: string;
  at: number;
  now: number;
}

/**
 * The schedule rule, pure: a pending delivery whose time has come is chosen (and runs when it wakes); a delivery
 * the chosen one is newer than is superseded by it (skipped with its id); one older than the pending waits for the
 * pending's time (so its final word names the one that ran); a newer one becomes the pending. Debounce: due `ms`
 * after the newest delivery was received. Throttle: due at once when the last run is `ms` old, else when it will be.
 * @example
 * decideSchedule(null, { mode: "debounce", ms: 60_000, id: "dlv_a", at: 0, now: 0 }).verdict; // defer until 60000
 */
export function decideSchedule(stored: unknown, input: ScheduleInput): { state: ScheduleState; verdict: ScheduleVerdict } {
  const s: ScheduleState = { pending: null, chosen: null, chosenAt: null, ...(isState(stored) ? stored : {}) };
  const { id, at, now, mode, ms } = input;
  const choose = (p: { id: string; at: number }) => {
    s.chosen = { id: p.id, at: p.at };
    s.chosenAt = now;
    s.pending = null;
  };
  if (s.pending && s.pending.due <= now) choose(s.pending);
  const word = `${mode} ${ms} ms`;
  if (s.chosen?.id === id) return { state: s, verdict: { run: true } };
  if (s.chosen && s.chosen.at >= at) return { state: s, verdict: { run: false, skip: `superseded by ${s.chosen.id} (${word})` } };
  if (s.pending?.id === id) return { state: s, verdict: { run: false, deferUntil: s.pending.due, reason: waiting(word, s.pending.due) } };
  if (s.pending && s.pending.at >= at) {
    const reason = `superseded by ${s.pending.id}, waiting for the delivery that runs (${word})`;
    return { state: s, verdict: { run: false, deferUntil: s.pending.due, reason } };
  }
  const due = mode === "debounce" ? at + ms : s.chosenAt === null ? now : Math.max(now, s.chosenAt + ms);
  if (due <= now) {
    choose({ id, at });
    return { state: s, verdict: { run: true } };
  }
  s.pending = { id, at, due };
  return { state: s, verdict: { run: false, deferUntil: due, reason: waiting(word, due) } };
}

function waiting(word: string, due: number): string {
  return `${word}: waiting until ${new Date(due).toISOString()} for newer deliveries`;
}

function isState(value: unknown): value is Partial<ScheduleState> {
  return value !== null && typeof value === "object";
}

/** What a scheduled step asks: may it run now? */
export interface Scheduler {
  decide(step: string, key: string, mode: "debounce" | "throttle", ms: number): Promise<ScheduleVerdict>;
}

/**
 * The scheduler of one delivery's attempt, on the delivery log (atomic per schedule row, both engines).
 * @example
 * const scheduler = storeScheduler(store, "train", { id: delivery.id, receivedAt: delivery.receivedAt }, clock.now());
 */
export function storeScheduler(store: DeliveryStore, endpoint: string, delivery: { id: string; receivedAt: number }, now: number): Scheduler | undefined {
  const update = store.updateSchedule?.bind(store);
  if (!update) return undefined;
  return {
    decide: (step, key, mode, ms) =>
      update({ endpoint, step, key }, now, (state) => {
        const { state: next, verdict } = decideSchedule(state, { mode, ms, id: delivery.id, at: delivery.receivedAt, now });
        return { state: next, value: verdict };
      }),
  };
}
