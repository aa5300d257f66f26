import { describe, expect, it } from "vitest";
import { getFixture } from "../../src/payload/index.js";
import { startDashboardServer } from "../e2e/dashboard-harness.js";
import { closeAfterEach } from "../helpers/close-after-each.js";

const track = closeAfterEach();
const start = async (...args: Parameters<typeof startDashboardServer>) => track(await startDashboardServer(...args));

const XSS = "<script>alert(1)</script>";

describe("dashboard page (server-rendered)", () => {
  it("shows endpoints with copy buttons, secret state, setup instructions and the deliveries, newest first", async () => {
    const s = await start({ webhookSecret: "hush" }, (app) => {
      app.addWebhook("train", () => ({ ok: true }));
      app.addWebhook("bot", () => null);
    });
    const headers = { "x-webhook-secret": "hush" };
    expect((await s.post("/webhooks/train", getFixture("repo.content.update", { repo: "me/model-a" }), headers)).status).toBe(200);
    expect((await s.post("/webhooks/bot", getFixture("discussion.create", { repo: "me/data-b", repoType: "dataset" }), headers)).status).toBe(200);

    const res = await fetch(s.url + "/");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await res.text();
    expect(body).toContain(`<code>${s.url}/webhooks/train</code>`);
    expect(body).toContain(`data-copy="${s.url}/webhooks/bot"`);
    expect(body).toContain("Secret: <strong>configured</strong>");
    expect(body).toContain("Running locally");
    expect(body).toContain("https://huggingface.co/settings/webhooks");
    expect(body).toContain('<script src="dashboard/app.js" defer></script>');
    const rows = [...body.matchAll(/<tr data-id="(dlv_[0-9a-z]+)" data-status="(\w+)">/g)].map((m) => m[2]);
    expect(rows).toEqual(["succeeded", "succeeded"]);
    expect(body.indexOf("me/data-b")).toBeLessThan(body.indexOf("me/model-a"));
    expect(body).toContain('<a href="https://huggingface.co/datasets/me/data-b" target="_blank" rel="noopener noreferrer">me/data-b</a>');
    expect(body).toContain('<a href="https://huggingface.co/me/model-a" target="_blank" rel="noopener noreferrer">me/model-a</a>');
    expect(body).toContain("<td>discussion.create</td>");
    // Every link and script is relative, so the page works under a path prefix and behind the Spaces proxy.
    const own = [...body.matchAll(/(?:href|src|action)="([^"]*)"/g)].map((m) => m[1]).filter((u) => !u.startsWith("https://"));
    for (const url of own) expect(url).toMatch(/^(\?|dashboard\/)/);
  });

  it("escapes user-controlled text in the table and the detail view", async () => {
    const s = await start({}, (app) => app.addWebhook("bot", () => ({ echo: XSS })));
    const payload = getFixture("discussion.comment.create", {
      set: { "repo.name": `evil/${XSS}`, "discussion.title": XSS, "comment.content": XSS },
    });
    const posted = await s.post("/webhooks/bot", payload);
    expect(posted.status).toBe(200);
    const table = await (await fetch(s.url + "/")).text();
    expect(table).not.toContain(XSS);
    expect(table).toContain("evil/&lt;script&gt;alert(1)&lt;/script&gt;");
    const id = /data-id="(dlv_[0-9a-z]+)"/.exec(table)![1];
    const detail = await (await fetch(`${s.url}/?id=${id}`)).text();
    expect(detail).not.toContain(XSS);
    expect(detail).toContain("&quot;content&quot;: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;");
    expect(detail).toContain("&quot;echo&quot;: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;");
  });

  it("shows a delivery's payload, headers without the secret, attempts with errors and the handler result", async () => {
    let calls = 0;
    const s = await start({ webhookSecret: "hush" }, (app) =>
      app.addWebhook("flaky", { retry: { maxAttempts: 1 } }, () => {
        calls++;
        throw new Error("model server said <no>");
      }),
    );
    const posted = await s.post("/webhooks/flaky?secret=hush", getFixture("repo.create"), { "x-webhook-secret": "hush" });
    expect(posted.status).toBe(202);
    const id = posted.headers.get("x-hubhooks-delivery") ?? /data-id="(dlv_[0-9a-z]+)"/.exec(await (await fetch(s.url + "/")).text())![1];
    const detail = await (await fetch(`${s.url}/?id=${id}`)).text();
    expect(calls).toBe(1);
    expect(detail).toContain('<span class="status status-dead" data-field="status">dead</span>');
    expect(detail).toContain("model server said &lt;no&gt;");
    expect(detail).toContain("<summary>stack</summary>");
    expect(detail).toContain("&quot;action&quot;: &quot;create&quot;");
    expect(detail).not.toContain("hush");
    expect(detail).toContain("<code>content-type</code>");
    const json = (await (await fetch(`${s.url}/dashboard/delivery?id=${id}`)).json()) as Record<string, any>;
    expect(json).toMatchObject({ id, status: "dead", attempts: 1, replayable: true, event: "repo.create" });
    expect(json.attemptList).toEqual([
      expect.objectContaining({ attempt: 1, outcome: "failed", error: "model server said <no>" }),
    ]);
    expect(json.headers.map(([k]: [string]) => k)).not.toContain("x-webhook-secret");
    expect(JSON.stringify(json)).not.toContain("hush");
    expect((await fetch(`${s.url}/dashboard/delivery?id=dlv_missing`)).status).toBe(404);
    const missing = await (await fetch(`${s.url}/?id=dlv_missing`)).text();
    expect(missing).toContain("No delivery <code>dlv_missing</code>");
  });
});

describe("filters and keyset pagination", () => {
  it("pages through every delivery once and narrows by endpoint, status, scope and repo", async () => {
    const s = await start({}, (app) => {
      app.addWebhook("a", () => null);
      app.addWebhook("b", { retry: { maxAttempts: 1 } }, () => {
        throw new Error("no");
      });
    });
    for (let i = 0; i < 52; i++) await s.post("/webhooks/a", getFixture("repo.content.update", { repo: `org/model-${i}` }));
    for (let i = 0; i < 3; i++) await s.post("/webhooks/b", getFixture("discussion.create", { repo: `org/other-${i}` }));
    const rows = async (query: string) =>
      (await (await fetch(`${s.url}/dashboard/rows?${query}`)).json()) as { rows: { id: string; repoName: string; status: string }[]; nextCursor: string | null };

    const seen: string[] = [];
    let cursor = "";
    for (let pages = 0; pages < 10; pages++) {
      const page = await rows(cursor ? `cursor=${cursor}` : "");
      seen.push(...page.rows.map((r) => r.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(55); // pages of 50 and 5
    expect(new Set(seen).size).toBe(55);
    expect([...seen].sort().reverse()).toEqual(seen);

    expect((await rows("endpoint=b")).rows.map((r) => r.status)).toEqual(["dead", "dead", "dead"]);
    expect((await rows("status=dead")).rows).toHaveLength(3);
    expect((await rows("scope=discussion")).rows).toHaveLength(3);
    expect((await rows("scope=repo.content&repo=MODEL-5")).rows.map((r) => r.repoName).sort()).toEqual(["org/model-5", "org/model-50", "org/model-51"]);
    // A mangled cursor (an old bookmark) shows the newest page instead of an error; a bogus status is ignored.
    expect((await rows("cursor=garbage")).rows).toHaveLength(50);
    expect((await rows("status=bogus")).rows).toHaveLength(50);

    const html = await (await fetch(`${s.url}/?status=dead&endpoint=b`)).text();
    expect(html).toContain('<option value="dead" selected>dead</option>');
    expect(html).toContain('<option value="b" selected>b</option>');
    expect(html).toContain('<input type="hidden" name="status" value="dead">');
    const first = await (await fetch(`${s.url}/`)).text();
    const older = /<a id="older" href="\?cursor=([^"]+)">/.exec(first);
    expect(older).not.toBeNull();
  });
});

describe("actions", () => {
  it("replays one delivery and all matching ones; refuses cross-origin POSTs", async () => {
    let fail = true;
    const s = await start({}, (app) =>
      app.addWebhook("flaky", { retry: { maxAttempts: 1 } }, () => {
        if (fail) throw new Error("down");
        return { ok: true };
      }),
    );
    for (let i = 0; i < 3; i++) await s.post("/webhooks/flaky", getFixture("repo.create", { repo: `me/r${i}` }));
    const list = (await (await fetch(`${s.url}/dashboard/rows`)).json()) as { rows: { id: string; status: string }[] };
    expect(list.rows.map((r) => r.status)).toEqual(["dead", "dead", "dead"]);
    fail = false;
    const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
      method: "POST",
      headers: { accept: "application/json", ...headers },
      body: new URLSearchParams(fields),
      redirect: "manual" as const,
    });

    const crossSite = await fetch(`${s.url}/dashboard/replay`, form({ id: list.rows[0]!.id }, { origin: "https://evil.example" }));
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toEqual({ error: "Cross-origin request refused." });
    const fetchSite = await fetch(`${s.url}/dashboard/replay-all`, form({}, { "sec-fetch-site": "cross-site" }));
    expect(fetchSite.status).toBe(403);

    const one = await fetch(`${s.url}/dashboard/replay`, form({ id: list.rows[0]!.id }, { origin: s.url }));
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({ message: "Replayed: queued again.", id: list.rows[0]!.id });
    await s.app.queue!.drain();
    expect((await s.app.store!.get(list.rows[0]!.id))!.status).toBe("succeeded");

    const all = await fetch(`${s.url}/dashboard/replay-all`, form({ status: "dead", repo: "me/r" }, { origin: s.url }));
    expect(await all.json()).toEqual({ message: "Replayed 2 deliveries.", replayed: 2, notServed: {} });
    await s.app.queue!.drain();
    expect(await s.app.store!.countsByStatus()).toMatchObject({ succeeded: 3, dead: 0 });

    // Without JavaScript the form posts and the browser comes back to the page (relative Location).
    const plain = await fetch(`${s.url}/dashboard/replay`, { ...form({ id: list.rows[1]!.id }), headers: {} });
    expect(plain.status).toBe(303);
    expect(plain.headers.get("location")).toBe(`../?id=${list.rows[1]!.id}`);
    expect((await fetch(`${s.url}/dashboard/replay`, form({ id: "dlv_nope" }))).status).toBe(404);
  });

  it("sends a fixture (or edited JSON) through the real endpoint, with the secret", async () => {
    const received: unknown[] = [];
    const s = await start({ webhookSecret: "hush" }, (app) =>
      app.addWebhook("bot", (payload) => {
        received.push(payload);
        return { seen: true };
      }),
    );
    const send = (fields: Record<string, string>) =>
      fetch(`${s.url}/dashboard/test-event`, {
        method: "POST",
        headers: { accept: "application/json", origin: s.url },
        body: new URLSearchParams(fields),
      });
    const fixtureRes = await fetch(`${s.url}/dashboard/fixture?name=discussion.comment.create`);
    expect(JSON.parse(await fixtureRes.text())).toEqual(getFixture("discussion.comment.create"));
    expect((await fetch(`${s.url}/dashboard/fixture?name=nope`)).status).toBe(400);

    const byFixture = await send({ endpoint: "/webhooks/bot", fixture: "repo.config.update", payload: "" });
    expect(byFixture.status).toBe(200);
    const out = (await byFixture.json()) as { message: string; status: number; deliveryId: string; body: string };
    expect(out.status).toBe(200);
    expect(out.body).toBe('{"seen":true}');
    expect(out.message).toBe(`Sent to /webhooks/bot: HTTP 200, delivery ${out.deliveryId}.`);
    expect(received[0]).toMatchObject({ event: { scope: "repo.config", action: "update" } });
    expect((await s.app.store!.get(out.deliveryId))!.status).toBe("succeeded");

    const edited = getFixture("discussion.comment.create", { set: { "comment.content": "/retrain" } });
    const byJson = await send({ endpoint: "/webhooks/bot", fixture: "repo.create", payload: JSON.stringify(edited) });
    expect(byJson.status).toBe(200);
    expect(received[1]).toMatchObject({ comment: { content: "/retrain" } });

    const badJson = await send({ endpoint: "/webhooks/bot", payload: "{nope" });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: string }).error).toMatch(/^The payload is not valid JSON/);
    expect((await send({ endpoint: "/webhooks/other", fixture: "repo.create" })).status).toBe(400);
  });
});
