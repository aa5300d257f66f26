import type { DeliveryStore } from "./types.js";

/** What changed in the log: one delivery (by id) or many at once (bulk replay, prune). */
export interface DeliveryChange {
  kind: "recorded" | "claimed" | "settled" | "replayed" | "bulk";
  id?: string;
}

/**
 * Wrap a store so every write that changes a delivery is announced in-process (the dashboard's live view
 * listens). The store stays the source of truth; a listener that misses a change catches up from the store.
 */
export function observeStore(store: DeliveryStore, emit: (change: DeliveryChange) => void): DeliveryStore {
  const safeEmit = (change: DeliveryChange) => {
    try {
      emit(change);
    } catch {
      /* a listener's bug must never fail a write */
    }
  };
  const overrides: Partial<DeliveryStore> = {
    record: async (...args: Parameters<DeliveryStore["record"]>) => {
      const out = await store.record(...args);
      if (out.outcome !== "duplicate") safeEmit({ kind: "recorded", id: out.delivery.id });
      return out;
    },
    claim: async (...args: Parameters<DeliveryStore["claim"]>) => {
      const out = await store.claim(...args);
      if (out) safeEmit({ kind: "claimed", id: out.id });
      return out;
    },
    complete: async (...args: Parameters<DeliveryStore["complete"]>) => {
      const ok = await store.complete(...args);
      if (ok) safeEmit({ kind: "settled", id: args[0] });
      return ok;
    },
    fail: async (...args: Parameters<DeliveryStore["fail"]>) => {
      const ok = await store.fail(...args);
      if (ok) safeEmit({ kind: "settled", id: args[0] });
      return ok;
    },
    replay: async (...args: Parameters<DeliveryStore["replay"]>) => {
      const out = await store.replay(...args);
      if (out) safeEmit({ kind: "replayed", id: out.id });
      return out;
    },
    replayMatching: async (...args: Parameters<DeliveryStore["replayMatching"]>) => {
      const n = await store.replayMatching(...args);
      if (n > 0) safeEmit({ kind: "bulk" });
      return n;
    },
    prune: async (...args: Parameters<DeliveryStore["prune"]>) => {
      const n = await store.prune(...args);
      if (n > 0) safeEmit({ kind: "bulk" });
      return n;
    },
  };
  // A Proxy (not Object.create) so the store's own methods keep `this` = the real store (private fields).
  return new Proxy(store, {
    get(target, prop) {
      if (prop in overrides) return overrides[prop as keyof DeliveryStore];
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
