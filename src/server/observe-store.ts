import type { DeliveryStore } from "../store/types.js";

/** What changed in the log: one delivery (by id) or many at once (bulk replay, prune). */
export interface DeliveryChange {
  kind: "recorded" | "claimed" | "settled" | "replayed" | "bulk";
  id?: string;
}

/**
 * Wrap a store so every write that changes a delivery is announced in-process (the dashboard's live view
 * listens). These events are the server's, not the engine's: the store stays the source of truth, and a
 * listener that misses a change catches up from the store.
 * @example
 * const store = observeStore(await createSqliteStore({ path }), (change) => feed.push(change));
 */
export function observeStore(store: DeliveryStore, emit: (change: DeliveryChange) => void): DeliveryStore {
  const safeEmit = (change: DeliveryChange) => {
    try {
      emit(change);
    } catch {
      /* a listener's bug must never fail a write */
    }
  };
  const settled = (ids: readonly string[], applied: boolean[]) => {
    applied.forEach((ok, i) => ok && safeEmit({ kind: "settled", id: ids[i] }));
    return applied;
  };
  const overrides: Partial<DeliveryStore> = {
    record: async (input) => {
      const out = await store.record(input);
      if (out.outcome !== "duplicate") safeEmit({ kind: "recorded", id: out.delivery.id });
      return out;
    },
    recordMany: async (inputs) => {
      const out = await store.recordMany(inputs);
      for (const r of out) if (r.outcome !== "duplicate") safeEmit({ kind: "recorded", id: r.delivery.id });
      return out;
    },
    claim: async (input) => {
      const out = await store.claim(input);
      if (out) safeEmit({ kind: "claimed", id: out.id });
      return out;
    },
    claimMany: async (input) => {
      const out = await store.claimMany(input);
      for (const d of out) safeEmit({ kind: "claimed", id: d.id });
      return out;
    },
    complete: async (id, attempt, input) => settled([id], [await store.complete(id, attempt, input)])[0]!,
    fail: async (id, attempt, input) => settled([id], [await store.fail(id, attempt, input)])[0]!,
    settleMany: async (inputs) => settled(inputs.map((i) => i.id), await store.settleMany(inputs)),
    writeBatch: async (batch) => {
      const out = await store.writeBatch(batch);
      for (const r of out.records) if (r.outcome !== "duplicate") safeEmit({ kind: "recorded", id: r.delivery.id });
      settled(batch.settles.map((i) => i.id), out.settles);
      // The queue claims through writeBatch (with the settles of the jobs that freed the slots): announce those too,
      // or deliveries claimed from a backlog never show as running in the live view.
      for (const d of out.claimed) safeEmit({ kind: "claimed", id: d.id });
      return out;
    },
    replay: async (id, now) => {
      const out = await store.replay(id, now);
      if (out) safeEmit({ kind: "replayed", id: out.id });
      return out;
    },
    replayMatching: async (filter, now) => {
      const n = await store.replayMatching(filter, now);
      if (n > 0) safeEmit({ kind: "bulk" });
      return n;
    },
    prune: async (input) => {
      const n = await store.prune(input);
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
