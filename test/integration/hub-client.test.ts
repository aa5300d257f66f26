import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HubhooksError } from "../../src/errors.js";
import { HubApiError, HubClient, discussionRef, repoRef, type DiscussionRef } from "../../src/hub/index.js";
import { respondInOrder, startFakeHub, type FakeHub } from "../helpers/fake-hub.js";

const TOKEN = "hf_integration_token_0123456789";
const noSleep = async (): Promise<void> => {};

let hub: FakeHub;
let client: HubClient;

beforeEach(async () => {
  hub = await startFakeHub({ token: TOKEN });
  client = new HubClient({ endpoint: `${hub.url}/`, token: TOKEN, sleep: noSleep });
});
afterEach(async () => {
  await hub.close();
});

const last = () => hub.requests[hub.requests.length - 1];
const watched = [{ type: "model" as const, name: "some-user/some-repo" }];

describe("webhook management (local stand-in for the Hub)", () => {
  it("creates a webhook with exact method, path, headers and body, and unwraps {webhook}", async () => {
    const info = await client.createWebhook({
      watched,
      url: "https://bot.example/webhooks/ci",
      domains: ["repo", "discussion"],
      secret: "whsec",
    });
    const req = last();
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/api/settings/webhooks");
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["user-agent"]).toBe("hubhooks");
    expect(req.body).toEqual({
      watched,
      url: "https://bot.example/webhooks/ci",
      domains: ["repo", "discussion"],
      secret: "whsec",
    });
    expect(info).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      url: "https://bot.example/webhooks/ci",
      watched,
      domains: ["repo", "discussion"],
      secret: "whsec",
      disabled: false,
      state: "enabled",
    });
  });

  it("creates a Job webhook with jobSourceId and omits absent optional fields", async () => {
    await client.createWebhook({ watched, jobId: "job-123" });
    expect(last().body).toEqual({ watched, jobSourceId: "job-123" });
    expect(Object.keys(last().body as object)).toEqual(["watched", "jobSourceId"]);
  });

  it("refuses url and jobId together or neither, before any request", async () => {
    await expect(client.createWebhook({ watched, url: "https://x.example", jobId: "j" })).rejects.toMatchObject({
      code: "INVALID_OPTIONS",
    });
    await expect(client.createWebhook({ watched })).rejects.toMatchObject({ code: "INVALID_OPTIONS" });
    expect(hub.requests).toHaveLength(0);
  });

  it("lists, gets, updates partially, disables, enables and deletes", async () => {
    const { id } = await client.createWebhook({ watched, url: "https://a.example/h", domains: ["repo"] });

    const list = await client.listWebhooks();
    expect(last()).toMatchObject({ method: "GET", path: "/api/settings/webhooks", body: undefined });
    expect(last().headers["content-type"]).toBeUndefined();
    expect(list.map((w) => w.id)).toEqual([id]);

    expect(await client.getWebhook(id)).toMatchObject({ id, url: "https://a.example/h", domains: ["repo"] });
    expect(last()).toMatchObject({ method: "GET", path: `/api/settings/webhooks/${id}` });

    const updated = await client.updateWebhook(id, { domains: ["discussion"] });
    expect(last()).toMatchObject({ method: "POST", path: `/api/settings/webhooks/${id}` });
    expect(last().body).toEqual({ domains: ["discussion"] }); // no `watched: []`
    expect(updated).toMatchObject({ watched, url: "https://a.example/h", domains: ["discussion"] });

    await client.updateWebhook(id, { url: "https://b.example/h", secret: "new" });
    expect(last().body).toEqual({ url: "https://b.example/h", secret: "new" });

    expect((await client.disableWebhook(id)).disabled).toBe(true);
    expect(last()).toMatchObject({ method: "POST", path: `/api/settings/webhooks/${id}/disable`, body: undefined });
    expect((await client.enableWebhook(id)).disabled).toBe(false);
    expect(last()).toMatchObject({ method: "POST", path: `/api/settings/webhooks/${id}/enable` });

    await expect(client.deleteWebhook(id)).resolves.toBeUndefined();
    expect(last()).toMatchObject({ method: "DELETE", path: `/api/settings/webhooks/${id}` });
    expect(hub.webhooks.size).toBe(0);
  });

  it("keeps unknown fields of the Hub's webhook object", async () => {
    hub.respond(() => ({
      body: { webhook: { id: "w1", watched, domains: ["repo"], disabled: false, lastActivity: { status: 200 } } },
    }));
    expect(await client.getWebhook("w1")).toMatchObject({ id: "w1", lastActivity: { status: 200 } });
  });

  it("turns a 404 into HubApiError with the Hub's status and message, without retrying", async () => {
    const error = await client.getWebhook("0000").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubApiError);
    expect(error).toBeInstanceOf(HubhooksError);
    expect(error).toMatchObject({
      code: "HUB_API",
      status: 404,
      hubMessage: "Webhook not found",
      method: "GET",
      url: `${hub.url}/api/settings/webhooks/0000`,
      message: "[hubhooks] Hub API GET /api/settings/webhooks/0000 failed with 404: Webhook not found",
    });
    expect(hub.requests).toHaveLength(1);
  });

  it("reports the Hub's 401 when the token is rejected", async () => {
    const other = new HubClient({ endpoint: hub.url, token: "hf_wrong_token", sleep: noSleep });
    await expect(other.listWebhooks()).rejects.toMatchObject({
      status: 401,
      hubMessage: "Invalid credentials in Authorization header",
    });
  });

  it("fails with UNAUTHORIZED, naming HF_TOKEN, before any request when no token is set", async () => {
    const anonymous = new HubClient({ endpoint: hub.url, sleep: noSleep });
    const error = await anonymous.listWebhooks().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UNAUTHORIZED", status: 401 });
    expect((error as Error).message).toContain("HF_TOKEN");
    expect(hub.requests).toHaveLength(0);
  });

  it("never puts the token or the webhook secret in errors, even when the Hub echoes them", async () => {
    hub.respond(() => ({ status: 400, body: { error: `bad request from ${TOKEN} with secret topsecret` } }));
    const error = (await client
      .updateWebhook("w1", { secret: "topsecret" })
      .catch((e: unknown) => e)) as HubApiError;
    expect(error.hubMessage).toBe("bad request from *** with secret ***");
    for (const text of [error.message, error.url, error.stack ?? "", inspect(error), JSON.stringify(error)]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain("topsecret");
    }
  });
});

describe("discussions (local stand-in for the Hub)", () => {
  const ref: DiscussionRef = { repoType: "space", repoId: "some-user/some-space", num: 4 };
  const base = "/api/spaces/some-user/some-space/discussions/4";

  it("comments, keeping the owner/name slash unencoded", async () => {
    const result = await client.comment(ref, "Thanks!");
    expect(last()).toMatchObject({ method: "POST", path: `${base}/comment`, body: { comment: "Thanks!" } });
    expect(last().headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(last().headers["content-type"]).toBe("application/json");
    expect(result.newMessage).toMatchObject({ type: "comment" });
  });

  it("changes status with and without a comment, renames, and merges", async () => {
    await client.changeDiscussionStatus(ref, "closed");
    expect(last()).toMatchObject({ path: `${base}/status`, body: { status: "closed" } });
    expect(last().body).toEqual({ status: "closed" });
    await client.changeDiscussionStatus(ref, "open", "Reopening");
    expect(last().body).toEqual({ status: "open", comment: "Reopening" });

    const renamed = await client.renameDiscussion(ref, "A better title");
    expect(last()).toMatchObject({ method: "POST", path: `${base}/title`, body: { title: "A better title" } });
    expect(renamed.newTitle).toMatchObject({ type: "title-change" });

    await client.mergePullRequest(ref);
    expect(last()).toMatchObject({ method: "POST", path: `${base}/merge`, body: {} });
    await client.mergePullRequest(ref, "LGTM");
    expect(last().body).toEqual({ comment: "LGTM" });
  });

  it("edits and hides a comment", async () => {
    await client.editComment(ref, "6398872887bfcfb93a306f18", "Edited");
    expect(last()).toMatchObject({
      method: "POST",
      path: `${base}/comment/6398872887bfcfb93a306f18/edit`,
      body: { content: "Edited" },
    });
    const hidden = await client.hideComment(ref, "6398872887bfcfb93a306f18");
    expect(last()).toMatchObject({ method: "POST", path: `${base}/comment/6398872887bfcfb93a306f18/hide` });
    expect(last().body).toBeUndefined();
    expect(hidden.updatedComment).toMatchObject({ data: { hidden: true } });
  });

  it("opens a discussion and a pull request", async () => {
    const created = await client.createDiscussion({
      repoType: "model",
      repoId: "some-user/some-repo",
      title: "Eval",
      description: "Accuracy 0.91",
    });
    expect(last()).toMatchObject({ method: "POST", path: "/api/models/some-user/some-repo/discussions" });
    expect(last().body).toEqual({ title: "Eval", description: "Accuracy 0.91", pullRequest: false });
    expect(created.num).toBe(1);
    await client.createDiscussion({ repoType: "dataset", repoId: "u/d", title: "PR", description: "", pullRequest: true });
    expect(last()).toMatchObject({ path: "/api/datasets/u/d/discussions", body: { pullRequest: true } });
  });

  it("compares two commits as raw text, sending the token when there is one", async () => {
    const diff = await client.compareCommits({ repoType: "model", repoId: "some-user/some-repo" }, "ce9a467", "575db8b");
    expect(last()).toMatchObject({ method: "GET", path: "/api/models/some-user/some-repo/compare/ce9a467..575db8b?raw=true" });
    expect(last().headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(diff).toContain("diff --git");

    const anonymous = new HubClient({ endpoint: hub.url, sleep: noSleep });
    await anonymous.compareCommits({ repoType: "model", repoId: "gpt2" }, "a", "b");
    expect(last().path).toBe("/api/models/gpt2/compare/a..b?raw=true");
    expect(last().headers.authorization).toBeUndefined();
  });

  it("rewrites a payload's apiUrl on another host to the endpoint (token never leaves it)", async () => {
    const payload = {
      repo: {
        type: "space",
        name: "some-user/some-space",
        url: { api: "https://huggingface.co/api/spaces/some-user/some-space" },
      },
      discussion: { num: 4, url: { api: "https://huggingface.co/api/spaces/some-user/some-space/discussions/4" } },
    };
    await client.comment({ apiUrl: payload.discussion.url.api }, "via apiUrl");
    expect(last().path).toBe(`${base}/comment`);
    await client.comment({ apiUrl: "https://evil.example/api/spaces/some-user/some-space/discussions/4" }, "x");
    expect(last().path).toBe(`${base}/comment`);
    expect(hub.requests).toHaveLength(2); // both reached the fake Hub, not the payload's host

    await client.comment(discussionRef(payload), "via discussionRef");
    expect(last().path).toBe(`${base}/comment`);
    await client.compareCommits(repoRef(payload), "a", "b");
    expect(last().path).toBe("/api/spaces/some-user/some-space/compare/a..b?raw=true");
    await client.compareCommits({ apiUrl: "https://mirror.example/api/spaces/some-user/some-space" }, "c", "d");
    expect(last().path).toBe("/api/spaces/some-user/some-space/compare/c..d?raw=true");
    expect(hub.requests).toHaveLength(5);
  });

  it("retries a comment the Hub refused with 503 + Retry-After; a bare 503 may have been applied: not sent again", async () => {
    hub.respond(respondInOrder({ status: 503, headers: { "retry-after": "0" }, body: "upstream busy" }));
    await client.comment(ref, "retry me");
    expect(hub.requests.map((r) => r.path)).toEqual([`${base}/comment`, `${base}/comment`]);
    hub.respond(respondInOrder({ status: 503, body: "upstream busy" }));
    await expect(client.comment(ref, "once")).rejects.toMatchObject({ status: 503 });
    expect(hub.requests).toHaveLength(3);
  });
});
