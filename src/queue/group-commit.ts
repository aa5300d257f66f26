import type { ClaimManyInput, DeliveryRecord, DeliveryStore, NewDelivery, RecordResult, SettleInput } from "../store/types.js";

interface Pending<I, O> {
  input: I;
  resolve: (out: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: records, settles and a claim asked for while a batch is being written, or in the same turn of the
 * event loop, go to the store together (`writeBatch`: one transaction where the engine can; a draining queue
 * settles what finished and claims the slots it freed in one commit). A lone write goes out
 * at the end of the turn it was asked in (`setImmediate`: no timer, no batching window). Each caller's promise
 * settles once the transaction holding its row committed (or failed: then every caller of that batch gets the
 * error), so a request answered after `record()` resolved is durable. `maxInFlight` batches may be written at
 * once: 1 for a synchronous engine (SQLite: a batch is written within one turn anyway), more for a networked one
 * (Postgres: its own group commit then shares one WAL flush among concurrent transactions, and the wait for a
 * round trip is not the limit of the whole server).
 * @example
 * const writes = new GroupCommit(store);
 * const { delivery } = await writes.record(input); // committed, possibly with 30 others
 */
export class GroupCommit {
  readonly #store: DeliveryStore;
  readonly #maxInFlight: number;
  #records: Array<Pending<NewDelivery, RecordResult>> = [];
  #settles: Array<Pending<SettleInput, boolean>> = [];
  #claims: Array<Pending<ClaimManyInput | (() => ClaimManyInput | null), DeliveryRecord[]>> = [];
  #scheduled = false;
  readonly #writing = new Set<Promise<void>>();

  constructor(store: DeliveryStore, options: { maxInFlight?: number } = {}) {
    this.#store = store;
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? (store.capabilities.synchronous ? 1 : 4));
  }

  record(input: NewDelivery): Promise<RecordResult> {
    return new Promise((resolve, reject) => {
      this.#records.push({ input, resolve, reject });
      this.#schedule();
    });
  }

  settle(input: SettleInput): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#settles.push({ input, resolve, reject });
      this.#schedule();
    });
  }

  /**
   * A claim written with the next batch (one per batch; the queue asks for one at a time). Given a function, the
   * claim is decided when the batch is written (null: no claim, resolves `[]`): the slots that every attempt
   * finishing in the meantime freed are in it, so one claim serves them all.
   */
  claim(input: ClaimManyInput | (() => ClaimManyInput | null)): Promise<DeliveryRecord[]> {
    return new Promise((resolve, reject) => {
      this.#claims.push({ input, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves once every write asked for so far has been written (or has failed). */
  async flush(): Promise<void> {
    while (this.#writing.size > 0 || this.#scheduled || this.#pending()) {
      if (this.#writing.size > 0) await Promise.all([...this.#writing]);
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  #pending(): boolean {
    return this.#records.length > 0 || this.#settles.length > 0 || this.#claims.length > 0;
  }

  #schedule(): void {
    // All writers busy: the first to finish takes what arrived meanwhile as its next batch.
    if (this.#scheduled || this.#writing.size >= this.#maxInFlight) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#startWriter();
    });
  }

  #startWriter(): void {
    if (!this.#pending() || this.#writing.size >= this.#maxInFlight) return;
    const writing = this.#writeOne().finally(() => {
      this.#writing.delete(writing);
      // What arrived while this batch was written goes at once (no extra turn), as the next batch.
      if (this.#pending()) this.#startWriter();
    });
    this.#writing.add(writing);
  }

  /** Everything queued now, as one batch. */
  async #writeOne(): Promise<void> {
    const records = this.#records;
    const settles = this.#settles;
    const claim = this.#claims.shift();
    this.#records = [];
    this.#settles = [];
    try {
      const claimInput = typeof claim?.input === "function" ? claim.input() : claim?.input;
      if (records.length === 0 && settles.length === 0 && !claimInput) {
        claim?.resolve([]);
        return;
      }
      const out = await this.#store.writeBatch({
        records: records.map((p) => p.input),
        settles: settles.map((p) => p.input),
        ...(claimInput ? { claim: claimInput } : {}),
      });
      records.forEach((p, i) => p.resolve(out.records[i]!));
      settles.forEach((p, i) => p.resolve(out.settles[i]!));
      claim?.resolve(out.claimed);
    } catch (error) {
      for (const p of [...records, ...settles]) p.reject(error);
      claim?.reject(error);
    }
  }
}
