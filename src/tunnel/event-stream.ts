import { HubhooksError, toError } from "../errors.js";
import type { Logger } from "../internal/logger.js";
import { backoffDelay, type ResolvedReconnect } from "./backoff.js";
import { createParser } from "eventsource-parser";

/** One server-sent event: its `event:` type (`"message"` when absent, as in browsers) and its data. */
export interface SseEvent {
  type: string;
  data: string;
}

/** A peer that never ends a line or an event must not grow memory without bound. */
const MAX_EVENT_CHARS = 16 * 1024 * 1024;

/** Options of {@link followEventStream}. */
export interface EventStreamOptions {
  url: string;
  fetch: typeof fetch;
  logger: Logger;
  reconnect: ResolvedReconnect;
  /** A connection silent for this long is treated as lost (smee.io pings every 30 s). 0 disables. */
  idleTimeoutMs: number;
  /** Bound on the first connection, until its first event. */
  openTimeoutMs: number;
  /** Most characters kept while an event (or a line) is unfinished; past it the connection ends. Default 16 Mi. */
  maxEventChars?: number;
  onEvent(event: SseEvent): void;
}

/** A followed event stream. */
export interface EventStream {
  /** Resolves once the first connection delivered its first event (smee's `ready`); rejects if it failed. */
  readonly opened: Promise<void>;
  /** Ends the stream; resolves when the connection is gone. */
  close(): Promise<void>;
}

/**
 * Follow a `text/event-stream` URL with reconnection: bounded exponential backoff after a drop, resuming with
 * `Last-Event-ID` when the server sent ids. The first connection must succeed, later ones are retried. The stream
 * is parsed by `eventsource-parser` (the WHATWG rules: line ends, BOM, comments, ids, `retry`); this is only the
 * reconnect loop around it.
 * @example
 * const stream = followEventStream({ url, fetch, logger, reconnect: resolveReconnect(), idleTimeoutMs: 90_000,
 *   openTimeoutMs: 15_000, onEvent: (e) => console.log(e.type) });
 * await stream.opened;
 * await stream.close();
 */
export function followEventStream(options: EventStreamOptions): EventStream {
  const { logger, reconnect } = options;
  const closing = new AbortController();
  let lastEventId = "";
  let retryMs: number | undefined;
  let settleOpened: ((error?: Error) => void) | undefined;
  const opened = new Promise<void>((resolve, reject) => {
    settleOpened = (error) => (error ? reject(error) : resolve());
  });
  opened.catch(() => {});

  /** One connection: resolves when it ends for any reason; tells whether it ever delivered an event. */
  const connectOnce = async (first: boolean): Promise<{ gotEvent: boolean; error?: Error }> => {
    const connection = new AbortController();
    const stop = () => connection.abort();
    closing.signal.addEventListener("abort", stop, { once: true });
    let gotEvent = false;
    let silentFor: number | undefined;
    let watchdog: NodeJS.Timeout | undefined;
    const arm = (ms: number) => {
      clearTimeout(watchdog);
      if (ms > 0) watchdog = setTimeout(() => ((silentFor = ms), stop()), ms);
    };
    arm(first ? options.openTimeoutMs : options.idleTimeoutMs);
    try {
      const headers: Record<string, string> = { accept: "text/event-stream", "cache-control": "no-cache" };
      if (lastEventId) headers["last-event-id"] = lastEventId;
      const response = await options.fetch(options.url, { headers, signal: connection.signal });
      const type = response.headers.get("content-type") ?? "";
      if (response.status !== 200 || !type.startsWith("text/event-stream") || !response.body) {
        await response.body?.cancel().catch(() => {});
        throw new Error(`relay answered ${response.status} ${type || "(no content type)"} instead of an event stream`);
      }
      const maxEventChars = options.maxEventChars ?? MAX_EVENT_CHARS;
      // A plain Error: the loop reports it inside its own TUNNEL error ("could not subscribe…", a reconnect).
      let tooLarge: Error | undefined;
      const parser = createParser({
        maxBufferSize: maxEventChars,
        // The last event id survives reconnections (SSE spec), also one sent in a block without data.
        onId: (id) => (lastEventId = id),
        onRetry: (ms) => (retryMs = ms),
        onError: (error) => {
          if (error.type === "max-buffer-size-exceeded") tooLarge = new Error(`relay event larger than ${maxEventChars} characters`);
        },
        onEvent: (event) => {
          if (!gotEvent) {
            gotEvent = true;
            if (first) settleOpened?.();
            else logger.info("tunnel: reconnected");
          }
          options.onEvent({ type: event.event ?? "message", data: event.data });
        },
      });
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          arm(options.idleTimeoutMs);
          parser.feed(decoder.decode(value, { stream: true }));
          if (tooLarge) throw tooLarge;
        }
      } finally {
        reader.releaseLock();
      }
      return { gotEvent };
    } catch (error) {
      const silent = silentFor === undefined ? undefined : new Error(`no data from the relay for ${silentFor} ms`);
      return { gotEvent, error: silent ?? toError(error) };
    } finally {
      clearTimeout(watchdog);
      closing.signal.removeEventListener("abort", stop);
      connection.abort();
    }
  };

  const run = async () => {
    const first = await connectOnce(true);
    if (!first.gotEvent) {
      const reason = closing.signal.aborted ? "closed while opening" : (first.error?.message ?? "no event received");
      settleOpened?.(new HubhooksError("TUNNEL", `could not subscribe to the relay channel: ${reason}`, { cause: first.error }));
      return;
    }
    let failures = 0;
    while (!closing.signal.aborted) {
      if (failures === 0) logger.warn("tunnel: connection lost, reconnecting");
      if (failures >= reconnect.maxAttempts) {
        logger.error({ attempts: failures }, "tunnel: relay unreachable, giving up; restart to open a new tunnel");
        return;
      }
      const wait = Math.max(backoffDelay(failures, reconnect), Math.min(retryMs ?? 0, reconnect.maxDelayMs));
      await reconnect.delay(wait, closing.signal);
      if (closing.signal.aborted) return;
      const result = await connectOnce(false);
      if (closing.signal.aborted) return;
      failures = result.gotEvent ? 0 : failures + 1;
      if (result.error && !result.gotEvent) logger.debug({ err: result.error.message }, "tunnel: reconnect attempt failed");
    }
  };
  const running = run();

  return {
    opened,
    async close() {
      closing.abort();
      await running;
    },
  };
}
