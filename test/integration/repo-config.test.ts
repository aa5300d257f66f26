import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { HubClient } from "../../src/hub/index.js";
import { getFixture } from "../../src/payload/index.js";
import type { HandlerContext } from "../../src/server/endpoint.js";
import { startFakeHub, type FakeHub, type FakeRepo } from "../helpers/fake-hub.js";
import { startServer } from "../helpers/server.js";

// ctx.config / ctx.cardData on a real server, against a local stand-in for the Hub that serves files through
// `resolve/{revision}/{path}` and metadata through `api/{type}s/{repo}/revision/{rev}`, as the Hub does.
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});
const HEAD = "575db8b7a51b6f85eb06eee540738584589f131c"; // the fixtures' repo.headSha

async function serve(repo: FakeRepo, handler: (ctx: HandlerContext) => unknown) {
  const hub = await startFakeHub({ repos: { "models/me/bot": repo } });
  cleanup.push(() => hub.close());
  const s = await startServer({ hub: new HubClient({ endpoint: hub.url, token: "hf_bot", retry: { maxAttempts: 1 } }) }, (app) =>
    app.addWebhook("bot", { retry: { maxAttempts: 3, initialDelayMs: 60_000 } }, (_payload, ctx) => handler(ctx)),
  );
  cleanup.push(() => s.close());
  return { hub, s };
}
// The server's health check lists the Hub webhooks at launch: only the repo routes are this test's.
const repoRequests = (hub: FakeHub) => hub.requests.map((r) => r.path).filter((p) => !p.startsWith("/api/settings/"));
const fileReads = (hub: FakeHub) => hub.requests.filter((r) => r.path.includes("/resolve/")).map((r) => r.path);

describe("ctx.config (local Hub stand-in serving resolve/ and revision/)", () => {
  it("a pull request's delivery reads the file from main, never from refs/pr/N, merged over the defaults", async () => {
    const { hub, s } = await serve(
      { sha: HEAD, files: { main: { ".hubhooks.yml": "label: from-main\nlimits:\n  max: 5\n" }, "refs/pr/3": { ".hubhooks.yml": "label: from-the-pr\n" } } },
      (ctx) => ctx.config(".hubhooks.yml", { defaults: { label: "default", limits: { max: 1, min: 0 }, dryRun: true } }),
    );
    const res = await s.post("/webhooks/bot", getFixture("repo.content.update.pull-request", { repo: "me/bot" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ label: "from-main", limits: { max: 5, min: 0 }, dryRun: true });
    expect(fileReads(hub)).toEqual(["/me/bot/resolve/main/.hubhooks.yml"]);
    expect(hub.requests.some((r) => r.path.includes("refs%2Fpr") || r.path.includes("refs/pr"))).toBe(false);
  });

  it("a missing file gives the defaults; a discussion event (no headSha) asks the Hub for main's sha first", async () => {
    const { hub, s } = await serve({ sha: "b".repeat(40), files: { main: {} } }, (ctx) => ctx.config(undefined, { defaults: { label: "default" } }));
    const res = await s.post("/webhooks/bot", getFixture("discussion.create.pull-request", { repo: "me/bot" }));
    expect(await res.json()).toEqual({ label: "default" });
    expect(repoRequests(hub)).toEqual([
      "/api/models/me/bot/revision/main?expand=sha&expand=cardData",
      "/me/bot/resolve/main/.hubhooks.yml",
    ]);
  });

  it("the same head sha is read once (cache hit); a new sha reads the file again", async () => {
    const repo: FakeRepo = { sha: HEAD, files: { main: { "bot.json": '{"label":"v1"}' } } };
    const { hub, s } = await serve(repo, (ctx) => ctx.config("bot.json"));
    const push = (sha: string) => s.post("/webhooks/bot", getFixture("repo.content.update", { repo: "me/bot", set: { "repo.headSha": sha } }));
    expect(await (await push(HEAD)).json()).toEqual({ label: "v1" });
    hub.repos.get("models/me/bot")!.files.main!["bot.json"] = '{"label":"v2"}';
    expect(await (await push(HEAD)).json()).toEqual({ label: "v1" });
    expect(fileReads(hub)).toHaveLength(1);
    expect(await (await push("c".repeat(40))).json()).toEqual({ label: "v2" });
    expect(fileReads(hub)).toHaveLength(2);
  });

  it("invalid YAML fails the delivery for good with the line, naming the file and repo", async () => {
    const { s } = await serve({ sha: HEAD, files: { main: { ".hubhooks.yml": "label: [unclosed\nother: 1\n" } } }, (ctx) => ctx.config());
    const res = await s.post("/webhooks/bot", getFixture("repo.content.update", { repo: "me/bot" }));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { status: string; error: string };
    expect(body.status).toBe("dead");
    expect(body.error).toMatch(/^ctx\.config: \.hubhooks\.yml of model me\/bot \(main\) is not valid YAML: .*at line 2, column 1/);
  });

  it("a schema failure says which field; a passing schema's output is the answer", async () => {
    const schema = z.object({ label: z.string(), max: z.number().int().positive() });
    const { s } = await serve({ sha: HEAD, files: { main: { ".hubhooks.yml": "label: ok\nmax: -2\n" } } }, (ctx) => ctx.config(".hubhooks.yml", { schema, defaults: { max: 3 } }));
    const res = await s.post("/webhooks/bot", getFixture("repo.content.update", { repo: "me/bot" }));
    const body = (await res.json()) as { status: string; error: string };
    expect(body).toMatchObject({ status: "dead" });
    expect(body.error).toMatch(/^ctx\.config: \.hubhooks\.yml of model me\/bot \(main\) does not match the schema: max: /);

    const ok = await serve({ sha: HEAD, files: { main: { ".hubhooks.yml": "label: ok\n" } } }, (ctx) => ctx.config(".hubhooks.yml", { schema, defaults: { max: 3 } }));
    expect(await (await ok.s.post("/webhooks/bot", getFixture("repo.content.update", { repo: "me/bot" }))).json()).toEqual({ label: "ok", max: 3 });
  });

  it("the Hub out of reach fails the attempt, which is retried, and says so", async () => {
    const { hub, s } = await serve({ sha: HEAD, files: { main: { ".hubhooks.yml": "label: x\n" } } }, (ctx) => ctx.config());
    hub.respond(() => ({ networkError: true }));
    const res = await s.post("/webhooks/bot", getFixture("repo.content.update", { repo: "me/bot" }));
    const body = (await res.json()) as { status: string; error: string };
    expect(body.status).toBe("retrying");
    expect(body.error).toMatch(/^could not read \.hubhooks\.yml of model me\/bot \(main\) from the Hub: .*network error.*\(the attempt is retried\)$/);
  });
});

describe("ctx.cardData (local Hub stand-in)", () => {
  it("answers the README metadata of main, cached by the payload's head sha", async () => {
    const { hub, s } = await serve({ sha: HEAD, files: { main: {} }, cardData: { license: "mit", space_ci: { trusted_authors: ["me"] } } }, (ctx) => ctx.cardData());
    const push = () => s.post("/webhooks/bot", getFixture("repo.content.update", { repo: "me/bot" }));
    expect(await (await push()).json()).toEqual({ license: "mit", space_ci: { trusted_authors: ["me"] } });
    expect(await (await push()).json()).toEqual({ license: "mit", space_ci: { trusted_authors: ["me"] } });
    expect(repoRequests(hub)).toEqual(["/api/models/me/bot/revision/main?expand=sha&expand=cardData"]);
  });
});
