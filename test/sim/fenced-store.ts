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
  const store = new Proxy(real, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (crashed) return NEVER;
        calls++;
        if (prop === "updateSchedule" && onSchedule) {
          const [id, now, decide] = args as [ScheduleId, number, (state: unknown) => { state: unknown; value: unknown }];
          args = [id, now, (state: unknown) => {
            const out = decide(state);
            const next = out.state as Omit<ScheduleSeen, "id" | "now">;
            onSchedule({ id, now, chosen: next.chosen, chosenAt: next.chosenAt });
            return out;
          }];
        }
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(out instanceof Promise)) return out;
        inFlight++;
        return out.then(
          (v) => (inFlight--, crashed ? NEVER : v),
          (e: unknown) => (inFlight--, crashed ? NEVER : Promise.reject(e)),
        );
      };
    },
  });
  return {
    store,
    crash: () => void (crashed = true),
    get inFlight() {
      return inFlight;
    },
    get calls() {
      return calls;
    },
  };
}
