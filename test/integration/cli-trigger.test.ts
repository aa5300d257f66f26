import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getFixture, listFixtures } from "../../src/payload/index.js";
import { runCli, runMain } from "../helpers/cli.js";
import { startServer } from "../helpers/server.js";

type Started = Awaited<ReturnType<typeof startServer>>;

/** Lines of `hubhooks trigger` output: request line, status line, body. */
function parseOutput(stdout: string) {
  const [request = "", status = "", ...rest] = stdout.split("\n");
  return { request, status, body: rest.join("\n").trim() };
}

// In process through main(argv, io); "rewrites the repo …" runs the built CLI as a subprocess (the smoke test).
describe("hubhooks trigger (against a real server)", () => {
  let server: Started;
  let dir: string;
  const SECRET = "s3cret-for-trigger";

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "hubhooks-cli-trigger-"));
    server = await startServer({ webhookSecret: SECRET }, (app) => {
      app.addWebhook("echo", (payload, ctx) => ({
        key: ctx.event.key,
        scope: payload.event.scope,
        repo: payload.repo.name,
        repoType: payload.repo.type,
        deliveryId: ctx.deliveryId,
        webhookId: ctx.webhookId,
        userAgent: ctx.headers.get("user-agent"),
        contentType: ctx.headers.get("content-type"),
      }));
      app.addWebhook("nested/hook", () => "nested ok");
    });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("delivers every shipped fixture (each documented scope/action, bucket, unknown scope) and prints status and body", async () => {
    const fixtures = listFixtures();
    expect(fixtures.length).toBeGreaterThanOrEqual(17);
    const results = await Promise.all(
      fixtures.map((f) =>
        runMain(["trigger", f.name, "--endpoint", "echo"], { env: { HUBHOOKS_URL: server.info.localUrl, WEBHOOK_SECRET: SECRET } }),
      ),
    );
    for (const [i, f] of fixtures.entries()) {
      const { code, stdout, stderr } = results[i]!;
      expect(stderr).toBe("");
      expect(code).toBe(0);
      const out = parseOutput(stdout);
      expect(out.request).toMatch(
        new RegExp(`^POST ${server.info.localUrl}/webhooks/echo  ${f.name.replace(/\./g, "\\.")}  Webhook-Id: [0-9a-f]{24}$`),
      );
      expect(out.status).toBe("200 OK");
      const body = JSON.parse(out.body);
      expect(body.key).toBe(f.event);
      expect(body.webhookId).toBe(out.request.slice(-24));
      expect(body.contentType).toBe("application/json");
      expect(body.userAgent).toMatch(/^hubhooks-trigger\//);
      // The server received exactly the fixture.
      const stored = await server.app.store!.get(body.deliveryId);
      expect(JSON.parse(stored!.body)).toEqual(getFixture(f.name));
    }
    const byName = Object.fromEntries(fixtures.map((f, i) => [f.name, JSON.parse(parseOutput(results[i]!.stdout).body)]));
    expect(byName["bucket.content.update"]).toMatchObject({ repoType: "bucket", key: "repo.content.update" });
    expect(byName["repo.config.dois.update"]).toMatchObject({ scope: "repo.config.dois", key: "repo.config.update" });
  });

  it("rewrites the repo, sets fields with --set, and uses --webhook-id", async () => {
    const { code, stdout } = await runCli(
      [
        "trigger", "discussion.comment.create",
        "--to", server.info.localUrl, "--endpoint", "echo", "--secret", SECRET,
        "--repo", "me/my-dataset", "--repo-type", "dataset",
        "--set", "comment.content=/retrain", "--set", "discussion.num=42", "--set", "x.flag=true",
        "--webhook-id", "fixed-id-1",
      ],
      {},
    );
    expect(code).toBe(0);
    const body = JSON.parse(parseOutput(stdout).body);
    expect(body).toMatchObject({ repo: "me/my-dataset", repoType: "dataset", webhookId: "fixed-id-1" });
    const sent = JSON.parse((await server.app.store!.get(body.deliveryId))!.body);
    expect(sent.comment.content).toBe("/retrain");
    expect(sent.discussion.num).toBe(42);
    expect(sent.x).toEqual({ flag: true });
    expect(sent.repo.url.web).toBe("https://huggingface.co/datasets/me/my-dataset");
    expect(sent.discussion.url.web.startsWith("https://huggingface.co/datasets/me/my-dataset/discussions/")).toBe(true);
  });

  it("sends --file as is, to a full --to URL (nested endpoint)", async () => {
    const file = join(dir, "payload.json");
    const payload = { event: { action: "create", scope: "repo" }, repo: { type: "model", name: "a/b" }, custom: [1, 2] };
    await writeFile(file, JSON.stringify(payload));
    const { code, stdout } = await runMain(["trigger", "--file", "payload.json", "--to", `${server.info.localUrl}/webhooks/nested/hook`], {
      cwd: dir,
      env: { WEBHOOK_SECRET: SECRET },
    });
    expect(code).toBe(0);
    const out = parseOutput(stdout);
    expect(out.request).toMatch(new RegExp(`^POST ${server.info.localUrl}/webhooks/nested/hook  repo\\.create  Webhook-Id: `));
    expect(out.status).toBe("200 OK");
    expect(out.body).toBe('"nested ok"');
    const page = await server.app.store!.list({ endpoint: "nested/hook" }, { limit: 1 });
    expect(JSON.parse(page.items[0]!.body)).toEqual(payload);
  });

  it("prints the server's 401 / 403 answers and exits 1", async () => {
    const missing = await runMain(["trigger", "repo.create", "--endpoint", "echo"], { env: { HUBHOOKS_URL: server.info.localUrl } });
    expect(missing.code).toBe(1);
    expect(parseOutput(missing.stdout)).toMatchObject({ status: "401 Unauthorized", body: '{"error":"x-webhook-secret header not set."}' });
    const wrong = await runMain(["trigger", "repo.create", "--endpoint", "echo", "--secret", "nope"], {
      env: { HUBHOOKS_URL: server.info.localUrl },
    });
    expect(wrong.code).toBe(1);
    expect(parseOutput(wrong.stdout)).toMatchObject({ status: "403 Forbidden", body: '{"error":"Invalid webhook secret."}' });
    expect(wrong.stdout).not.toContain("nope");
  });

  it("--list prints every fixture with the event it is handled as", async () => {
    const { code, stdout } = await runMain(["trigger", "--list"]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME +HANDLED AS +DESCRIPTION$/);
    for (const f of listFixtures()) expect(stdout).toMatch(new RegExp(`^${f.name.replace(/\./g, "\\.")} +${f.event.replace(/\./g, "\\.")} +\\S`, "m"));
    expect(lines).toHaveLength(listFixtures().length + 1);
  });

  it.each([
    [["trigger", "repo.create"], /^hubhooks: Which endpoint\? Pass --endpoint <name> \(POST http:\/\/127\.0\.0\.1:7860\/webhooks\/<name>\)/],
    [["trigger", "no.such.event", "--endpoint", "x"], /^hubhooks: Unknown fixture "no\.such\.event"\. Valid names: repo\.create, /],
    [["trigger", "--endpoint", "x"], /^hubhooks: Name an event \(see hubhooks trigger --list\) or pass --file payload\.json$/],
    [["trigger", "repo.create", "--endpoint", "x", "--set", "novalue"], /^hubhooks: --set expects path=value, got "novalue"$/],
    [["trigger", "repo.create", "--to", "http://127.0.0.1:9/webhooks/a", "--endpoint", "b"], /^hubhooks: --to http:\/\/127\.0\.0\.1:9\/webhooks\/a already names an endpoint/],
    [["trigger", "repo.create", "--to", "ftp://x", "--endpoint", "b"], /^hubhooks: --to must be an http\(s\) URL, got "ftp:\/\/x"$/],
    [["trigger", "--file", "missing.json", "--endpoint", "b"], /^hubhooks: Cannot read --file missing\.json: ENOENT$/],
  ])("fails with one line and exit 1: %j", async (args, message) => {
    const { code, stdout, stderr } = await runMain(args, { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr.trimEnd()).toMatch(message);
  });

  it("says so in one line when the server is unreachable", async () => {
    const closed = await startServer();
    const url = closed.info.localUrl;
    await closed.close();
    const { code, stdout, stderr } = await runMain(["trigger", "repo.create", "--to", url, "--endpoint", "x"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^POST /);
    expect(stderr).toBe(`hubhooks: Cannot reach ${url} (ECONNREFUSED). Is the server running (hubhooks serve app.ts)?\n`);
  });
});
