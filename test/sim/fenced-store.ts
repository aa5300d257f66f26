import type { DeliveryStore, ScheduleId } from "../../src/store/types.js";

/** A debounce/throttle schedule as `decideSchedule` left it (see src/triggers/schedule.ts). */
export interface ScheduleSeen {
  id: ScheduleId;
  now: number;
  chosen: { id: string; at: number } | null;
  chosenAt: number | null;
}

/**
 * A process's handle on the log that can die: after `crash()` every call (and every answer still on its way) hangs
 * for ever, which is what a killed process sees of its database: nothing more. It also counts calls in flight, so the
 * simulation moves virtual time only once the database has answered (Postgres answers on real sockets).
 */
export interface FencedStore {
  store: DeliveryStore;
  crash(): void;
  /** The database stops answering this process (a network partition, a long pause): calls wait, in order. */
  freeze(): void;
  /** ...and answers again: the calls that waited run now, in the order they were made. */
  thaw(): void;
  readonly inFlight: number;
  /** Calls made so far: the log can only have changed if this moved. */
  readonly calls: number;
}

const NEVER = new Promise<never>(() => {});

/** `onSchedule`: every schedule state a decision wrote (the simulation checks the throttle's spacing with it). */
export function fenceStore(real: DeliveryStore, onSchedule?: (seen: ScheduleSeen) => void): FencedStore {
  let crashed = false;
  let inFlight = 0;
  let calls = 0;
  let held: Array<() => void> | null = null;
  const store = new Proxy(real, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (crashed) return NEVER;
        if (prop === "updateSchedule" && onSchedule) {
          const [id, now, decide] = args as [ScheduleId, number, (state: unknown) => { state: unknown; value: unknown }];
          args = [id, now, (state: unknown) => {
            const out = decide(state);
            const next = out.state as Omit<ScheduleSeen, "id" | "now">;
            onSchedule({ id, now, chosen: next.chosen, chosenAt: next.chosenAt });
            return out;
          }];
        }
        const call = (): Promise<unknown> | unknown => {
          calls++;
          const out = (value as (...a: unknown[]) => unknown).apply(target, args);
          if (!(out instanceof Promise)) return out;
          inFlight++;
          return out.then(
            (v) => (inFlight--, crashed ? NEVER : v),
            (e: unknown) => (inFlight--, crashed ? NEVER : Promise.reject(e)),
          );
        };
        // `subscribe` answers synchronously and `close` is the process's own: neither waits for the database.
        if (held && prop !== "close" && prop !== "subscribe") {
          const queue = held;
          return new Promise((resolve, reject) => queue.push(() => void Promise.resolve(call()).then(resolve, reject)));
        }
        return call();
      };
    },
  });
  return {
    store,
    crash: () => void (crashed = true),
    freeze: () => void (held ??= []),
    thaw: () => {
      const queue = held ?? [];
      held = null;
      for (const run of queue) run();
    },
    get inFlight() {
      return inFlight;
    },
    get calls() {
      return calls;
    },
  };
}
