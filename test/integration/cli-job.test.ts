import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPostgresStore } from "../../src/store/postgres/create-postgres-store.js";
import { REPO_ROOT, runCli } from "../helpers/cli.js";

// `hubhooks job app.ts` as a real subprocess of the built CLI, with each shipped fixture in WEBHOOK_PAYLOAD.
const APP = `import { webhookEndpoint } from "hubhooks";
webhookEndpoint("bot", async (payload) => {
  if (payload.comment?.content === "boom") throw new Error("the model server is down");
  return { handled: payload.event.scope + "." + payload.event.action, repo: payload.repo.name };
}).on("repo.content.update", { ref: "refs/tags/*", kind: "created" }, (_p, ctx) => {
  console.log("new tags: " + ctx.refs.map((r) => r.ref).join(","));
});
`;
const FIXTURES = ["discussion.comment.create", "discussion.create.pull-request", "repo.config.update", "repo.content.update"];
let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hubhooks-job-"));
  await mkdir(join(dir, "node_modules"));
  await symlink(REPO_ROOT, join(dir, "node_modules", "hubhooks"), "dir");
  await writeFile(join(dir, "app.ts"), APP);
  await writeFile(join(dir, "debounced.ts"), `import { webhookEndpoint } from "hubhooks";
webhookEndpoint("train").on("repo.content.update", { debounce: { ms: 60_000 } }, () => "trained");
`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));
const fixture = (name: string) => readFile(join(REPO_ROOT, "test/fixtures/hub", `${name}.json`), "utf8");
const job = (env: Record<string, string>, args: string[] = []) => runCli(["job", "app.ts", ...args], { cwd: dir, env });

describe("hubhooks job", () => {
  it.each(FIXTURES)("runs the endpoint on %s from WEBHOOK_PAYLOAD and exits 0", async (name) => {
    const payload = await fixture(name);
    const { code, stdout, stderr } = await job({ WEBHOOK_PAYLOAD: payload, WEBHOOK_ID: `id-${name}`, WEBHOOK_REPO_ID: JSON.parse(payload).repo.name });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const p = JSON.parse(payload);
    expect(stdout).toContain(`bot: succeeded (dlv_`);
    // The result is the last step's: here the tag route's (nothing) on a push, else the handler's.
    if (name === "repo.content.update") expect(stdout).toMatch(/new tags: refs\/tags\/test\n.*bot: succeeded \(dlv_[0-9a-z]{26}\)\n$/s);
    else expect(stdout).toContain(JSON.stringify({ handled: `${p.event.scope}.${p.event.action}`, repo: p.repo.name }));
  });

  it("prints no webhook-secret banner: a Job checks no secret, and its stdout is the run's result", async () => {
    const payload = await fixture("repo.config.update");
    const without = await job({ WEBHOOK_PAYLOAD: payload, LOG_LEVEL: "silent" });
    expect({ code: without.code, stderr: without.stderr }).toEqual({ code: 0, stderr: "" });
    expect(without.stdout).toMatch(/^bot: succeeded \(dlv_[0-9a-z]{26}\) \{.*\}\n$/);
    const withSecret = await job({ WEBHOOK_PAYLOAD: payload, WEBHOOK_SECRET: "hub-set", LOG_LEVEL: "silent" });
    expect(withSecret.stdout).toMatch(/^bot: succeeded \(dlv_[0-9a-z]{26}\) \{.*\}\n$/);
  });

  it("a handler failure: exit 1 with a one-line reason", async () => {
    const payload = JSON.parse(await fixture("discussion.comment.create"));
    payload.comment.content = "boom";
    const { code, stderr } = await job({ WEBHOOK_PAYLOAD: JSON.stringify(payload), LOG_LEVEL: "silent" });
    expect(code).toBe(1);
    expect(stderr).toBe("hubhooks: handler failed: the model server is down\n");
  });

  it("a debounced route is refused with the reason (a Job ends after one delivery)", async () => {
    const { code, stderr } = await runCli(["job", "debounced.ts"], { cwd: dir, env: { WEBHOOK_PAYLOAD: await fixture("repo.content.update"), LOG_LEVEL: "silent" } });
    expect(code).toBe(1);
    expect(stderr).toBe("hubhooks: handler failed: debounce and throttle need a long-running server (serve): a Job ends after one delivery\n");
  });

  it("an invalid payload, a payload that is not JSON, no payload: exit 1 with the reason", async () => {
    const invalid = await job({ WEBHOOK_PAYLOAD: JSON.stringify({ event: { scope: "repo" } }), LOG_LEVEL: "silent" });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^hubhooks: invalid payload: .*repo/);
    expect(invalid.stderr.trim().split("\n")).toHaveLength(1);
    const notJson = await job({ WEBHOOK_PAYLOAD: "{not json" });
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(/^hubhooks: WEBHOOK_PAYLOAD is not JSON: /);
    const none = await job({});
    expect(none).toMatchObject({ code: 1, stderr: "hubhooks: WEBHOOK_PAYLOAD is not set: a Job started by a Hub webhook receives the payload there\n" });
  });
});

const url = inject("postgresUrl");
describe.skipIf(!url)("hubhooks job with a Postgres database", () => {
  it("records the run, and a duplicate WEBHOOK_ID does not run again; a failed one runs again", async () => {
    const schema = `job_${process.pid}_${Date.now().toString(36)}`;
    const env = { DATABASE_URL: url!, HUBHOOKS_DATABASE_SCHEMA: schema, WEBHOOK_ID: "65f0000000000000000000aa" };
    const payload = await fixture("discussion.comment.create");
    const first = await job({ ...env, WEBHOOK_PAYLOAD: payload });
    expect(first.code).toBe(0);
    const id = /\((dlv_[0-9a-z]+)\)/.exec(first.stdout)![1]!;
    const again = await job({ ...env, WEBHOOK_PAYLOAD: payload });
    expect(again.code).toBe(0);
    expect(again.stdout.split("\n").at(-2)).toBe(`bot: WEBHOOK_ID 65f0000000000000000000aa was already delivered (${id}, succeeded): not run again`);
    const failing = JSON.parse(payload);
    failing.comment.content = "boom";
    const otherId = { ...env, WEBHOOK_ID: "65f0000000000000000000bb", LOG_LEVEL: "silent" };
    expect((await job({ ...otherId, WEBHOOK_PAYLOAD: JSON.stringify(failing) })).code).toBe(1);
    const rerun = await job({ ...otherId, WEBHOOK_PAYLOAD: payload }); // the Hub runs the Job again: it runs again
    expect(rerun.code).toBe(0);
    const store = await createPostgresStore({ url: url!, schema });
    try {
      expect(await store.get(id)).toMatchObject({ status: "succeeded", webhookId: "65f0000000000000000000aa", attempts: 1, endpoint: "bot" });
      const page = await store.list({ endpoint: "bot" }, { limit: 10 });
      expect(page.items.map((d) => [d.webhookId, d.status, d.attempts])).toEqual([
        ["65f0000000000000000000bb", "succeeded", 2],
        ["65f0000000000000000000aa", "succeeded", 1],
      ]);
    } finally {
      await store.close();
    }
  });
});
