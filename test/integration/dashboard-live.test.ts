import { describe, expect, it } from "vitest";
import { getFixture } from "../../src/payload/index.js";
import { ChangeFeed } from "../../src/dashboard/change-feed.js";
import { eventStreamResponse } from "../../src/dashboard/event-stream-response.js";
import type { DeliveryChange } from "../../src/server/observe-store.js";
import { startDashboardServer } from "../e2e/dashboard-harness.js";
import { closeAfterEach } from "../helpers/close-after-each.js";

const track = closeAfterEach();
const start = async (...args: Parameters<typeof startDashboardServer>) => track(await startDashboardServer(...args));

/** Reads a real SSE response frame by frame (a frame ends with a blank line). */
async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const frames: string[] = [];
  const next = async (): Promise<string> => {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        frames.push(frame);
        return frame;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended after ${JSON.stringify(frames)}`);
      buffer += decoder.decode(value, { stream: true });
    }
  };
  /** Frames until one matches (bounded: a stream that never sends it fails the test by its timeout). */
  const until = async (match: (frame: string) => boolean): Promise<string> => {
    for (let i = 0; i < 1000; i++) {
      const frame = await next();
      if (match(frame)) return frame;
    }
    throw new Error("no matching frame in 1000 frames");
  };
  return { res, next, until, abort: () => controller.abort() };
}

describe("live stream", () => {
  it("announces each change of a delivery with increasing ids", async () => {
    const s = await start({}, (app) => app.addWebhook("train", () => ({ ok: true })));
    const stream = await openStream(s.url + "/dashboard/events");
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(stream.res.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(await stream.next()).toBe("retry: 3000\nid: 0");

    const posted = await s.post("/webhooks/train", getFixture("repo.create"));
    const id = posted.headers.get("x-hubhooks-delivery");
    expect(id).toMatch(/^dlv_/);
    // Recorded already running (the in-process hand-off takes the lease in the insert: no separate claim).
    const frames = [await stream.next(), await stream.next()];
    expect(frames).toEqual([
      `id: 1\nevent: change\ndata: {"kind":"recorded","id":"${id}","seq":1}`,
      `id: 2\nevent: change\ndata: {"kind":"settled","id":"${id}","seq":2}`,
    ]);
    stream.abort();
  });

  it("tells a reconnecting client to resync, and unsubscribes when the client leaves", async () => {
    const s = await start({}, (app) => app.addWebhook("train", () => null));
    await s.post("/webhooks/train", getFixture("repo.create"));
    const stream = await openStream(s.url + "/dashboard/events", { "last-event-id": "2" });
    expect(await stream.next()).toMatch(/^retry: 3000\nid: \d+$/);
    expect(await stream.next()).toMatch(/^event: resync\ndata: \{"seq":\d+\}$/);
    expect(s.listeners()).toBe(1);

    const second = await openStream(s.url + "/dashboard/events");
    await second.next();
    expect(s.listeners()).toBe(1); // one server subscription shared by every open stream
    stream.abort();
    second.abort();
    await expect.poll(() => s.listeners()).toBe(0);
  });

  it("does not keep the server from closing", async () => {
    const s = await startDashboardServer({}, (app) => app.addWebhook("train", () => null));
    const stream = await openStream(s.url + "/dashboard/events");
    await stream.next();
    await s.close();
    await expect(stream.next()).rejects.toThrow();
  });

  it("sends keep-alive comments at the configured interval and stops listening when the reader cancels", async () => {
    const sources = new Set<(c: DeliveryChange) => void>();
    const feed = new ChangeFeed((listener) => {
      sources.add(listener);
      return () => sources.delete(listener);
    });
    const res = eventStreamResponse(feed, { lastEventId: null, keepAliveMs: 5 });
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    for (let i = 0; i < 1000 && !text.includes(": keep-alive\n\n"); i++) text += decoder.decode((await reader.read()).value);
    expect(text.startsWith("retry: 3000\nid: 0\n\n")).toBe(true);
    expect(text).toContain(": keep-alive\n\n");
    sources.forEach((l) => l({ kind: "bulk" }));
    let rest = "";
    for (let i = 0; i < 1000 && !rest.includes("event: change"); i++) rest += decoder.decode((await reader.read()).value);
    expect(rest).toContain('id: 1\nevent: change\ndata: {"kind":"bulk","id":null,"seq":1}\n\n');
    await reader.cancel();
    expect(sources.size).toBe(0);
    expect(feed.size).toBe(0);
  });
});
