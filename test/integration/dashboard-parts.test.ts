// Pure parts of the dashboard (view model, query, origin check, cookie, change feed); no server needed.
import { describe, expect, it } from "vitest";
import { ChangeFeed } from "../../src/dashboard/change-feed.js";
import { parseDashboardQuery, queryHref, toDeliveryFilter } from "../../src/dashboard/dashboard-query.js";
import { detailView, formatDuration, formatTime, repoUrl, rowView } from "../../src/dashboard/delivery-view.js";
import { isSameOrigin } from "../../src/http/same-origin.js";
import { clearedTokenCookie, tokenCookie } from "../../src/dashboard/token-cookie.js";
import type { DeliveryChange } from "../../src/server/observe-store.js";
import type { DeliveryRecord } from "../../src/store/types.js";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 3);

function delivery(overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    id: "dlv_1", endpoint: "train", status: "succeeded", attempts: 1, maxAttempts: 5, attemptBudget: 5,
    nextAttemptAt: null, leaseUntil: null, startedAt: T0, webhookId: "wh_1", scope: "repo.content", action: "update",
    repoType: "dataset", repoName: "me/data", orderingKey: null,
    headers: { "content-type": "application/json", "x-webhook-secret": "hush", referer: "https://x/?secret=hush&a=1" },
    url: "https://x/webhooks/train", completedSteps: [], traceparent: null, body: '{"a":1}', result: { ok: true }, error: null, durationMs: 1234, receivedAt: T0, updatedAt: T0, finishedAt: T0 + 1234,
    ...overrides,
  };
}

describe("view model", () => {
  it("formats rows for people and links repos to the Hub", () => {
    expect(rowView(delivery())).toEqual({
      id: "dlv_1", receivedAt: "2026-01-01T12:00:03.000Z", time: "2026-01-01 12:00:03Z", endpoint: "train",
      event: "repo.content.update", repoType: "dataset", repoName: "me/data",
      repoUrl: "https://huggingface.co/datasets/me/data", status: "succeeded", attempts: 1, duration: "1.2 s",
    });
    expect(rowView(delivery({ status: "running", scope: null, action: null, repoType: null, repoName: null }))).toMatchObject({
      event: "—", repoUrl: null, repoName: "", duration: "running…",
    });
    expect(repoUrl("model", "me/m")).toBe("https://huggingface.co/me/m");
    expect(repoUrl("space", "me/s p")).toBe("https://huggingface.co/spaces/me/s%20p");
    expect(repoUrl("bucket", "me/b")).toBeNull();
    expect(repoUrl("constructor", "me/b")).toBeNull();
    expect(formatTime(0)).toBe("1970-01-01 00:00:00Z");
    expect([null, 0, 999, 1500, 61_000, 125_400].map(formatDuration)).toEqual(["—", "0 ms", "999 ms", "1.5 s", "1 min 1 s", "2 min 5 s"]);
  });

  it("pretty-prints the payload and result, redacts headers again, and shows the attempt in progress", () => {
    const view = detailView(delivery({ status: "running", attempts: 2, finishedAt: null }), [
      { deliveryId: "dlv_1", attempt: 1, startedAt: T0, finishedAt: T0 + 5, durationMs: 5, outcome: "failed", error: "boom", stack: "Error: boom" },
    ]);
    expect(view.payload).toBe('{\n  "a": 1\n}');
    expect(view.result).toBe('{\n  "ok": true\n}');
    expect(view.headers).toEqual([["content-type", "application/json"], ["referer", "https://x/?a=1"]]);
    expect(view.attemptList.map((a) => [a.attempt, a.outcome, a.duration])).toEqual([[1, "failed", "5 ms"], [2, "running", "running…"]]);
    expect(view.replayable).toBe(false);
    expect(detailView(delivery({ body: "not json", result: undefined }), []).payload).toBe("not json");
  });
});

describe("query", () => {
  it("keeps known filters, drops bad statuses, and builds relative links", () => {
    const q = parseDashboardQuery({ status: "nope", endpoint: " train ", repo: "x".repeat(500), scope: "repo" });
    expect(q).toEqual({ endpoint: "train", status: "", scope: "repo", repo: "x".repeat(200), cursor: "", id: "" });
    expect(toDeliveryFilter(parseDashboardQuery({ status: "dead", repo: "gpt" }))).toEqual({ status: "dead", repo: "gpt" });
    const base = parseDashboardQuery({ status: "dead", id: "dlv_1" });
    expect(queryHref(base, { id: "" })).toBe("?status=dead");
    expect(queryHref(base, { cursor: "a b&c" })).toBe("?status=dead&cursor=a+b%26c&id=dlv_1");
    expect(queryHref(parseDashboardQuery({}))).toBe("?");
  });
});

describe("same origin", () => {
  const post = (headers: Record<string, string>, url = "http://127.0.0.1:7860/dashboard/replay") =>
    new Request(url, { method: "POST", headers });
  it("accepts its own origin (direct or through a proxy) and requests without Origin; refuses others", () => {
    expect(isSameOrigin(post({}))).toBe(true);
    expect(isSameOrigin(post({ origin: "http://127.0.0.1:7860" }))).toBe(true);
    expect(isSameOrigin(post({ origin: "https://me-app.hf.space", "x-forwarded-host": "me-app.hf.space" }))).toBe(true);
    expect(isSameOrigin(post({ origin: "https://ME-APP.hf.space", host: "me-app.hf.space" }, "http://me-app.hf.space/x"))).toBe(true);
    expect(isSameOrigin(post({ origin: "http://127.0.0.1:7861" }))).toBe(false);
    expect(isSameOrigin(post({ origin: "https://evil.example" }))).toBe(false);
    expect(isSameOrigin(post({ origin: "null" }))).toBe(false);
    expect(isSameOrigin(post({ origin: "file://" }))).toBe(false);
    expect(isSameOrigin(post({ "sec-fetch-site": "same-site" }))).toBe(false);
    expect(isSameOrigin(post({ "sec-fetch-site": "same-origin", origin: "http://127.0.0.1:7860" }))).toBe(true);
  });
});

describe("token cookie", () => {
  it("is HttpOnly, SameSite=Strict, Path=/, and Secure over https", () => {
    const http = new Request("http://127.0.0.1/dashboard/login");
    expect(tokenCookie("a b;c", http)).toBe("hubhooks_token=a%20b%3Bc; Path=/; HttpOnly; SameSite=Strict");
    expect(tokenCookie("t", http, true)).toBe("hubhooks_token=t; Path=/; HttpOnly; SameSite=Strict; Secure");
    const proxied = new Request("http://10.0.0.1/dashboard/login", { headers: { "x-forwarded-proto": "https" } });
    expect(clearedTokenCookie(proxied)).toBe("hubhooks_token=; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0");
  });
});

describe("change feed", () => {
  it("numbers changes once for every listener and listens to the source only while someone listens", () => {
    const sources = new Set<(c: DeliveryChange) => void>();
    const feed = new ChangeFeed((listener) => {
      sources.add(listener);
      return () => sources.delete(listener);
    });
    const emit = (c: DeliveryChange) => sources.forEach((l) => l(c));
    const a: number[] = [];
    const b: string[] = [];
    const offA = feed.subscribe((c) => a.push(c.seq));
    const offB = feed.subscribe((c) => {
      b.push(`${c.seq}:${c.kind}`);
      throw new Error("a broken stream");
    });
    expect(sources.size).toBe(1);
    emit({ kind: "recorded", id: "x" });
    emit({ kind: "bulk" });
    expect(a).toEqual([1, 2]);
    expect(b).toEqual(["1:recorded", "2:bulk"]);
    offA();
    offB();
    expect(sources.size).toBe(0);
    expect(feed.seq).toBe(2);
  });
});
