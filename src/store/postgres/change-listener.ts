import type { PoolClient } from "pg";
import type { StoreNotice } from "../types.js";

/** Waits between reconnection attempts of the LISTEN connection: 0.5 s doubling to 30 s. */
const RETRY_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];

interface ListenerOptions {
  connect: () => Promise<PoolClient>;
  channel: string;
  /** This replica's origin: its own notices are not reported (it announced them in-process already). */
  origin: string;
  logger?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/**
 * One dedicated connection that LISTENs for the other replicas' changes, opened when the first listener arrives.
 * A dropped connection is logged and reopened (with backoff) until `close()`; while it is down, the queue's
 * polling is what finds new work. After a reconnection every listener gets a `bulk` notice (changes may have
 * been missed: re-read).
 * @example
 * const stop = listener.add((notice) => notice.queued && queue.notify());
 */
export class ChangeListener {
  readonly #o: ListenerOptions;
  readonly #listeners = new Set<(notice: StoreNotice) => void>();
  #client: PoolClient | undefined;
  #connecting: Promise<void> | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #closed = false;

  constructor(options: ListenerOptions) {
    this.#o = options;
  }

  add(listener: (notice: StoreNotice) => void): () => void {
    this.#listeners.add(listener);
    if (!this.#client && !this.#connecting) this.#connecting = this.#connect();
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    await this.#connecting?.catch(() => {});
    const client = this.#client;
    this.#client = undefined;
    if (client) {
      client.removeAllListeners("notification");
      client.release(true); // a LISTENing connection is not reused
    }
  }

  async #connect(): Promise<void> {
    let client: PoolClient | undefined;
    try {
      client = await this.#o.connect();
      client.on("notification", (message) => {
        if (message.channel === this.#o.channel && message.payload) this.#deliver(message.payload);
      });
      client.on("error", (error) => this.#lost(client!, error));
      await client.query(`LISTEN ${this.#o.channel}`);
      if (this.#closed) {
        client.release(true);
        return;
      }
      this.#client = client;
      if (this.#failures > 0) {
        this.#o.logger?.info({ after: this.#failures }, "listening for other replicas' changes again");
        this.#emit({ kind: "bulk", queued: true }); // changes may have been missed meanwhile
      }
      this.#failures = 0;
    } catch (error) {
      client?.release(true);
      this.#scheduleRetry(error);
    } finally {
      this.#connecting = undefined;
    }
  }

  #lost(client: PoolClient, error: Error): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    client.removeAllListeners("notification");
    client.release(true);
    this.#scheduleRetry(error);
  }

  #scheduleRetry(error: unknown): void {
    if (this.#closed) return;
    const wait = RETRY_MS[Math.min(this.#failures, RETRY_MS.length - 1)]!;
    this.#failures++;
    this.#o.logger?.warn(
      { err: error, retryInMs: wait },
      "lost the LISTEN connection to Postgres; reconnecting (other replicas' deliveries are found by polling meanwhile)",
    );
    this.#retry = setTimeout(() => {
      this.#connecting = this.#connect();
    }, wait);
    this.#retry.unref?.();
  }

  #deliver(payload: string): void {
    let parsed: { o?: string; q?: boolean; c?: Array<[StoreNotice["kind"], string | null]> };
    try {
      parsed = JSON.parse(payload) as typeof parsed;
    } catch {
      return; // not ours
    }
    if (parsed.o === this.#o.origin || !Array.isArray(parsed.c)) return;
    const queued = parsed.q === true;
    for (const [kind, id] of parsed.c) this.#emit(id ? { kind, id, queued } : { kind, queued });
  }

  #emit(notice: StoreNotice): void {
    for (const listener of this.#listeners) {
      try {
        listener(notice);
      } catch {
        /* a listener's bug must not stop the others */
      }
    }
  }
}
