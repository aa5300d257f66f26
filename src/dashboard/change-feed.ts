import type { DeliveryChange } from "../server/observe-store.js";

/**
 * A delivery change numbered in the order this process saw it (the SSE `id:`).
 * @example
 * const change: NumberedChange = { kind: "settled", id: "dlv_01kdvdna00…", seq: 7 };
 */
export interface NumberedChange extends DeliveryChange {
  seq: number;
}

/**
 * Fans the server's delivery changes out to the open live streams, numbering them once (so every stream agrees on
 * the sequence). It listens to the server only while at least one stream is open.
 * @example
 * const feed = new ChangeFeed((listener) => app.onDeliveryChange(listener));
 * const stop = feed.subscribe((change) => console.log(change.seq, change.kind, change.id));
 * stop();
 */
export class ChangeFeed {
  readonly #source: (listener: (change: DeliveryChange) => void) => () => void;
  readonly #listeners = new Set<(change: NumberedChange) => void>();
  #seq = 0;
  #unsubscribe?: () => void;

  constructor(source: (listener: (change: DeliveryChange) => void) => () => void) {
    this.#source = source;
  }

  /** The number of the last change seen (0 before any). */
  get seq(): number {
    return this.#seq;
  }

  /** How many live streams listen (for tests and metrics). */
  get size(): number {
    return this.#listeners.size;
  }

  subscribe(listener: (change: NumberedChange) => void): () => void {
    this.#listeners.add(listener);
    this.#unsubscribe ??= this.#source((change) => this.#emit(change));
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0 && this.#unsubscribe) {
        this.#unsubscribe();
        this.#unsubscribe = undefined;
      }
    };
  }

  #emit(change: DeliveryChange): void {
    const numbered: NumberedChange = { ...change, seq: ++this.#seq };
    for (const listener of [...this.#listeners]) {
      try {
        listener(numbered);
      } catch {
        /* one broken stream must not starve the others */
      }
    }
  }
}
