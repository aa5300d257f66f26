import type { NextOutcome } from "./types.js";

/**
 * Callers waiting for the next outcome of a delivery, by id.
 * @example
 * const waiters = new OutcomeWaiters();
 * const next = waiters.wait("dlv_1", signal);
 * waiters.resolve("dlv_1", { status: "succeeded", value: 1 });
 */
export class OutcomeWaiters {
  readonly #byId = new Map<string, Set<(outcome: NextOutcome) => void>>();

  /** The next outcome resolved for `id`, or "pending" once `signal` aborts. */
  wait(id: string, signal: AbortSignal): Promise<NextOutcome> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve({ status: "pending" });
      let set = this.#byId.get(id);
      if (!set) this.#byId.set(id, (set = new Set()));
      const onAbort = () => settle({ status: "pending" });
      const settle = (outcome: NextOutcome) => {
        set.delete(settle);
        if (set.size === 0 && this.#byId.get(id) === set) this.#byId.delete(id);
        signal.removeEventListener("abort", onAbort);
        resolve(outcome);
      };
      set.add(settle);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  resolve(id: string, outcome: NextOutcome): void {
    for (const settle of [...(this.#byId.get(id) ?? [])]) settle(outcome);
  }

  resolveAll(outcome: NextOutcome): void {
    for (const id of [...this.#byId.keys()]) this.resolve(id, outcome);
  }
}
