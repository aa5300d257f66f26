import type { ChangeFeed, NumberedChange } from "./change-feed.js";

/**
 * Options of {@link eventStreamResponse}.
 * @example
 * const options: EventStreamOptions = { lastEventId: request.headers.get("last-event-id"), keepAliveMs: 15_000, signal: request.signal };
 */
export interface EventStreamOptions {
  /** The `Last-Event-ID` a reconnecting browser sent: the stream then starts with a `resync` event. */
  lastEventId: string | null;
  /** Comment sent this often so proxies (the Spaces one) keep an idle stream open. */
  keepAliveMs: number;
  /** Ends the stream (the request's signal). */
  signal?: AbortSignal;
}

// A browser that stops reading gets its stream closed rather than an ever-growing buffer; it reconnects and resyncs.
const MAX_QUEUED_CHUNKS = 256;
const encoder = new TextEncoder();

/**
 * A Server-Sent Events response carrying delivery changes: `event: change` with `id: <seq>` and
 * `data: {"kind":"settled","id":"dlv_…","seq":7}`. The log, not the stream, is the source of truth, so instead of
 * replaying missed events a reconnecting client (one that sends `Last-Event-ID`) first gets `event: resync` and
 * re-reads what it shows.
 * @example
 * app.get("/dashboard/events", (c) => eventStreamResponse(feed, { lastEventId: c.req.header("last-event-id") ?? null, keepAliveMs: 15_000, signal: c.req.raw.signal }));
 */
export function eventStreamResponse(feed: ChangeFeed, options: EventStreamOptions): Response {
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (text: string) => {
        if (!open) return;
        if ((controller.desiredSize ?? 0) < -MAX_QUEUED_CHUNKS) return stop(true);
        controller.enqueue(encoder.encode(text));
      };
      const unsubscribe = feed.subscribe((change: NumberedChange) => {
        send(`id: ${change.seq}\nevent: change\ndata: ${JSON.stringify({ kind: change.kind, id: change.id ?? null, seq: change.seq })}\n\n`);
      });
      const timer = setInterval(() => send(": keep-alive\n\n"), options.keepAliveMs);
      timer.unref?.();
      const onAbort = () => stop(true);
      const stop = (close: boolean) => {
        if (!open) return;
        open = false;
        unsubscribe();
        clearInterval(timer);
        options.signal?.removeEventListener("abort", onAbort);
        if (close) {
          try {
            controller.close();
          } catch {
            /* already closed or errored */
          }
        }
      };
      cleanup = () => stop(false);
      options.signal?.addEventListener("abort", onAbort);
      if (options.signal?.aborted) return stop(true);
      send(`retry: 3000\nid: ${feed.seq}\n\n`);
      if (options.lastEventId !== null) send(`event: resync\ndata: {"seq":${feed.seq}}\n\n`);
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      // nginx-style proxies buffer responses unless told not to.
      "x-accel-buffering": "no",
    },
  });
}
