import { describe, expect, it } from "vitest";
import {
  commentRequest,
  compareRequest,
  createDiscussionRequest,
  editCommentRequest,
  hideCommentRequest,
  mergeRequest,
  renameRequest,
  statusRequest,
} from "../../src/hub/discussion-requests.js";
import {
  createWebhookRequest,
  deleteWebhookRequest,
  getWebhookRequest,
  listWebhooksRequest,
  toggleWebhookRequest,
  updateWebhookRequest,
} from "../../src/hub/webhook-requests.js";

const watched = [{ type: "org" as const, name: "acme" }];
const ref = { repoType: "model" as const, repoId: "u/m", num: 7 };

describe("webhook request builders", () => {
  it("describe the SPEC section 3 routes", () => {
    expect(listWebhooksRequest()).toEqual({ method: "GET", path: "/api/settings/webhooks", auth: "required", response: "json" });
    expect(getWebhookRequest("a b").path).toBe("/api/settings/webhooks/a%20b");
    expect(toggleWebhookRequest("x", "enable").path).toBe("/api/settings/webhooks/x/enable");
    expect(deleteWebhookRequest("x")).toMatchObject({ method: "DELETE", response: "none" });
  });

  it("create sends exactly one target and omits absent fields; the secret is marked for redaction", () => {
    expect(createWebhookRequest({ watched, url: "https://x.example/h" }).body).toEqual({ watched, url: "https://x.example/h" });
    const req = createWebhookRequest({ watched, jobId: "j1", domains: ["discussion"], secret: "s" });
    expect(req.body).toEqual({ watched, jobSourceId: "j1", domains: ["discussion"], secret: "s" });
    expect(req.redact).toEqual(["s"]);
    expect(() => createWebhookRequest({ watched: [], url: "https://x.example" })).toThrow(/at least one watched/);
  });

  it("update sends only the given fields and refuses an empty update", () => {
    expect(updateWebhookRequest("x", { watched }).body).toEqual({ watched });
    expect(updateWebhookRequest("x", { secret: "" }).body).toEqual({ secret: "" });
    expect(updateWebhookRequest("x", { url: "https://y.example", domains: undefined }).body).toEqual({ url: "https://y.example" });
    expect(() => updateWebhookRequest("x", {})).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
  });

  it("refuses ids that would change the path", () => {
    for (const id of ["", " ", ".", ".."]) expect(() => getWebhookRequest(id)).toThrow(/Invalid webhook id/);
    expect(getWebhookRequest("../x").path).toBe("/api/settings/webhooks/..%2Fx");
  });
});

describe("discussion request builders", () => {
  const base = "/api/models/u/m/discussions/7";
  it("describe the SPEC section 3 routes", () => {
    expect(commentRequest(ref, "hi")).toEqual({
      method: "POST",
      path: `${base}/comment`,
      body: { comment: "hi" },
      auth: "required",
      response: "json",
      idempotent: false, // a new comment: never sent twice after an error that may have reached the Hub
    });
    expect(statusRequest(ref, "closed", "done")).toMatchObject({ body: { status: "closed", comment: "done" }, idempotent: false });
    expect(statusRequest(ref, "closed").idempotent).toBe(true);
    expect(renameRequest(ref, "t").idempotent).toBe(true);
    expect(mergeRequest(ref).idempotent).toBe(false);
    expect(renameRequest(ref, "t").path).toBe(`${base}/title`);
    expect(mergeRequest(ref).body).toEqual({});
    expect(editCommentRequest(ref, "c1", "x").path).toBe(`${base}/comment/c1/edit`);
    expect(hideCommentRequest(ref, "c1")).toMatchObject({ path: `${base}/comment/c1/hide` });
    expect(hideCommentRequest(ref, "c1").body).toBeUndefined();
    expect(createDiscussionRequest({ repoType: "space", repoId: "u/s", title: "t", description: "d", pullRequest: true }))
      .toMatchObject({ path: "/api/spaces/u/s/discussions", body: { title: "t", description: "d", pullRequest: true } });
    expect(compareRequest({ repoType: "model", repoId: "u/m" }, "abc", "refs/pr/1")).toMatchObject({
      method: "GET",
      path: "/api/models/u/m/compare/abc..refs%2Fpr%2F1?raw=true",
      auth: "optional",
      response: "text",
    });
  });

  it("validates arguments before any request", () => {
    expect(() => commentRequest(ref, " ")).toThrow(/comment must be a non-empty string/);
    expect(() => statusRequest(ref, "merged" as never)).toThrow(/"open" or "closed"/);
    expect(() => editCommentRequest(ref, "../x", "y")).toThrow(/Invalid comment id/);
    expect(() => compareRequest({ repoType: "model", repoId: "u/m" }, "a..b", "c")).toThrow(/Invalid oldSha/);
    expect(() => compareRequest({ repoType: "model", repoId: "u/m" }, "a", "")).toThrow(/Invalid newSha/);
  });
});
