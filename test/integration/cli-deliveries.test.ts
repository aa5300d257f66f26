import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NonRetryableError } from "../../src/errors.js";
import { getFixture } from "../../src/payload/index.js";
import { runCli, runMain } from "../helpers/cli.js";
import { startServer } from "../helpers/server.js";

type Started = Awaited<ReturnType<typeof startServer>>;

const TOKEN = "dashboard-t0ken-for-cli-tests";

// In process through main(argv, io); "ls prints a table" also runs the built CLI as a subprocess (the smoke test).
describe("hubhooks deliveries (against a real server's delivery API, with a token)", () => {
  let server: Started;
  let ids: { ok: string[]; dead: string[] };
  const cli = (args: string[], env: Record<string, string> = {}) =>
    runMain(["deliveries", ...args], { env: { HUBHOOKS_URL: server.info.localUrl, HUBHOOKS_DASHBOARD_TOKEN: TOKEN, ...env } });
  const subprocess = (args: string[]) =>
    runCli(["deliveries", ...args], { env: { HUBHOOKS_URL: server.info.localUrl, HUBHOOKS_DASHBOARD_TOKEN: TOKEN } });
  const api = async (path: string) =>
    (await fetch(server.info.localUrl + path, { headers: { authorization: `Bearer ${TOKEN}` } })).json();

  beforeAll(async () => {
    server = await startServer({ dashboardToken: TOKEN }, (app) => {
      app.addWebhook("ok", (payload) => ({ handled: payload.repo.name }));
      app.addWebhook("fail", () => {
        throw new NonRetryableError("cannot handle this one");
      });
    });
    ids = { ok: [], dead: [] };
    for (const repo of ["acme/alpha", "acme/beta", "other/gamma"]) {
      const res = await server.post("/webhooks/ok", getFixture("repo.content.update", { repo }), { "webhook-id": `wh-${repo}` });
      expect(res.status).toBe(200);
    }
    for (const name of ["discussion.comment.create", "repo.config.update"] as const) {
      expect((await server.post("/webhooks/fail", getFixture(name, { repo: "acme/delta" }))).status).toBe(202);
    }
    const list = (await api("/api/deliveries?limit=10")) as { items: { id: string; endpoint: string }[] };
    ids.ok = list.items.filter((d) => d.endpoint === "ok").map((d) => d.id);
    ids.dead = list.items.filter((d) => d.endpoint === "fail").map((d) => d.id);
    expect(ids.ok).toHaveLength(3);
    expect(ids.dead).toHaveLength(2);
  });
  afterAll(() => server.close());

  it("ls prints a table, newest first", async () => {
    const { code, stdout, stderr } = await subprocess(["ls"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID +ENDPOINT +EVENT +REPO +STATUS +ATTEMPTS +RECEIVED +DURATION$/);
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(new RegExp(`^${ids.dead[0]} +fail +repo\\.config\\.update +datasets/acme/delta +dead +1/5 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ +\\d+ ms$`));
    expect(lines[5]).toMatch(new RegExp(`^${ids.ok[2]} +ok +repo\\.content\\.update +acme/alpha +succeeded +1/5 `));
    expect(stdout).not.toContain(TOKEN);
  });

  it("ls filters by --endpoint, --status, --scope, --repo and pages with --limit/--cursor", async () => {
    const rows = async (args: string[]) => {
      const { code, stdout } = await cli(["ls", ...args]);
      expect(code).toBe(0);
      return stdout.trimEnd().split("\n").slice(1);
    };
    expect(await rows(["--status", "dead"])).toHaveLength(2);
    expect(await rows(["--status", "succeeded,dead", "--endpoint", "ok"])).toHaveLength(3);
    expect(await rows(["--scope", "discussion.comment"])).toEqual([expect.stringMatching(new RegExp(`^${ids.dead[1]} `))]);
    expect(await rows(["--repo", "ALPHA"])).toEqual([expect.stringMatching(new RegExp(`^${ids.ok[2]} `))]);
    const first = await cli(["ls", "--limit", "2"]);
    const more = /^More: hubhooks deliveries ls --cursor (\S+)$/m.exec(first.stdout);
    expect(more).not.toBeNull();
    expect(first.stdout.trimEnd().split("\n")).toHaveLength(4);
    const rest = await rows(["--limit", "10", "--cursor", more![1]!]);
    expect(first.stdout).toMatch(new RegExp(`^${ids.dead[0]} [^\n]*\n${ids.dead[1]} `, "m"));
    expect(rest.map((l) => l.split(" ")[0])).toEqual(ids.ok);
  });

  it("ls --json and show --json print the API's JSON", async () => {
    const ls = await cli(["ls", "--json", "--status", "dead"]);
    expect(ls.code).toBe(0);
    expect(JSON.parse(ls.stdout)).toEqual(await api("/api/deliveries?status=dead&limit=50"));
    const show = await cli(["show", ids.ok[0]!, "--json"]);
    expect(JSON.parse(show.stdout)).toEqual(await api(`/api/deliveries/${ids.ok[0]}`));
  });

  it("show prints fields, the attempt history and the payload", async () => {
    const { code, stdout } = await cli(["show", ids.dead[0]!]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^id +${ids.dead[0]}\nendpoint +fail\nevent +repo\\.config\\.update\nrepo +datasets/acme/delta\nstatus +dead\nattempts +1/5\n`));
    expect(stdout).toMatch(/^error +cannot handle this one$/m);
    expect(stdout).toMatch(/\nAttempts:\n# +STARTED +DURATION +OUTCOME +ERROR\n1 +\S+ \S+ +\d+ ms +non-retryable +cannot handle this one\n/);
    const payload = JSON.parse(stdout.slice(stdout.indexOf("\nPayload:\n") + 10));
    expect(payload).toEqual(getFixture("repo.config.update", { repo: "acme/delta" }));
    const ok = await cli(["show", ids.ok[0]!]);
    expect(ok.stdout).toMatch(/^webhook id +wh-other\/gamma$/m);
    expect(ok.stdout).toMatch(/^result +\{"handled":"other\/gamma"\}$/m);
  });

  it("replay <id> runs a delivery again; replay --all --status dead replays in bulk", async () => {
    const one = await cli(["replay", ids.dead[0]!]);
    expect(one.stderr).toBe("");
    expect(one.stdout).toBe(`Replayed ${ids.dead[0]}: queued (up to 5 more attempts).\n`);
    await server.app.queue!.drain();
    expect((await server.app.store!.attempts(ids.dead[0]!)).map((a) => a.outcome)).toEqual(["non-retryable", "non-retryable"]);

    const bulk = await cli(["replay", "--all", "--status", "dead", "--repo", "delta"]);
    expect(bulk.stdout).toBe("Replayed 2 deliveries.\n");
    await server.app.queue!.drain();
    expect(await server.app.store!.attempts(ids.dead[1]!)).toHaveLength(2);
    expect(await server.app.store!.attempts(ids.dead[0]!)).toHaveLength(3);
    const none = await cli(["replay", "--all", "--status", "retrying", "--json"]);
    expect(JSON.parse(none.stdout)).toEqual({ replayed: 0, notServed: {} });
    // Succeeded deliveries were left alone.
    expect(await server.app.store!.attempts(ids.ok[0]!)).toHaveLength(1);
  });

  it.each([
    [["ls"], { HUBHOOKS_DASHBOARD_TOKEN: "" }, "hubhooks: GET /api/deliveries?limit=50 answered 401: A dashboard token is required (Authorization: Bearer <token>). Pass --token or set HUBHOOKS_DASHBOARD_TOKEN."],
    [["ls", "--token", "wrong-token"], {}, "hubhooks: GET /api/deliveries?limit=50 answered 403: Invalid dashboard token."],
    [["show", "dlv_missing"], {}, "hubhooks: GET /api/deliveries/dlv_missing answered 404: No delivery dlv_missing."],
    [["ls", "--status", "broken"], {}, 'hubhooks: GET /api/deliveries?status=broken&limit=50 answered 400: Invalid status "broken"; use queued, running, succeeded, retrying, dead, skipped, invalid.'],
    [["ls", "--status", "failed"], {}, 'hubhooks: GET /api/deliveries?status=failed&limit=50 answered 400: Invalid status "failed" (a scheduled retry is "retrying"); use queued, running, succeeded, retrying, dead, skipped, invalid.'],
    [["replay"], {}, "hubhooks: Give a delivery id, or --all with filters (e.g. --all --status dead)"],
    [["replay", "--all"], {}, "hubhooks: replay --all needs --status (e.g. --status dead or --status retrying,dead)"],
    [["ls", "--url", "not a url"], {}, 'hubhooks: --url must be an http(s) URL, got "not a url"'],
  ])("fails with one line and exit 1: %j", async (args, env, message) => {
    const { code, stdout, stderr } = await cli(args, env);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(message + "\n");
  });

  it("--token works without the environment variable and is never echoed", async () => {
    const { code, stdout, stderr } = await cli(["ls", "--status", "dead", "--token", TOKEN], { HUBHOOKS_DASHBOARD_TOKEN: "" });
    expect(code).toBe(0);
    expect(stdout + stderr).not.toContain(TOKEN);
  });
});
