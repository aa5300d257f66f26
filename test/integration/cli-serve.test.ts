import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { BIN, REPO_ROOT, runCli, runMain, startCli } from "../helpers/cli.js";

// TypeScript the way people write it: type-only imports, interfaces, an enum, a `./x.js` import of `./x.ts`.
const APP = `import { webhookEndpoint, type WebhookPayload } from "hubhooks";
import { greet, Tone } from "./greeting.js";

interface Answer { message: string; repo: string }

webhookEndpoint("say_hello", async (payload: WebhookPayload): Promise<Answer> => ({
  message: greet(payload.repo.name, Tone.Warm),
  repo: payload.repo.name,
}));
`;
const GREETING = `export enum Tone { Warm = "warm", Dry = "dry" }
export function greet(name: string, tone: Tone): string {
  return tone === Tone.Warm ? \`hello \${name}!\` : \`hello \${name}\`;
}
`;

describe("hubhooks serve (built CLI, TypeScript module, real server)", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "hubhooks-cli-serve-"));
    await writeFile(join(dir, "app.ts"), APP);
    await writeFile(join(dir, "greeting.ts"), GREETING);
    await writeFile(join(dir, "broken.ts"), "export const x: number = ;\n");
    await writeFile(join(dir, "throws.ts"), 'throw new Error("no config found");\n');
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    // The module imports "hubhooks": resolve it to this repository, as an installed dependency would be.
    await mkdir(join(dir, "node_modules"));
    await symlink(REPO_ROOT, join(dir, "node_modules", "hubhooks"), "dir");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function exercise(server: { url: string }, secret: string, token: string) {
    const trigger = await runMain(["trigger", "repo.create", "--repo", "me/typed", "--to", server.url, "--endpoint", "say_hello"], {
      env: { WEBHOOK_SECRET: secret },
    });
    expect(trigger.stdout.split("\n").slice(1).join("\n")).toBe('200 OK\n{"message":"hello me/typed!","repo":"me/typed"}\n');
    const noSecret = await runMain(["trigger", "repo.create", "--to", server.url, "--endpoint", "say_hello"]);
    expect(noSecret.stdout).toContain("401 Unauthorized");
    const ls = await runMain(["deliveries", "ls", "--url", server.url, "--token", token]);
    expect(ls.code).toBe(0);
    expect(ls.stdout).toMatch(/^dlv_\S+ +say_hello +repo\.create +me\/typed +succeeded +1\/\d+ /m);
    const denied = await runMain(["deliveries", "ls", "--url", server.url]);
    expect(denied.stderr).toMatch(/answered 401: A dashboard token is required/);
  }

  it("flags: --port, --host, --secret, --database, --dashboard-token", async () => {
    const server = await startCli(
      process.execPath,
      [BIN, "serve", "app.ts", "--port", "0", "--host", "127.0.0.1", "--secret", "flag-secret", "--database", "flag.db", "--dashboard-token", "flag-token"],
      { cwd: dir },
    );
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const { stdout } = server.output();
      expect(stdout).toContain("Webhook secret is correctly defined.");
      expect(stdout).toContain(`  - POST ${server.url}/webhooks/say_hello\n`);
      await exercise(server, "flag-secret", "flag-token");
      expect(existsSync(join(dir, "flag.db"))).toBe(true);
      expect(server.output().stdout + server.output().stderr).not.toContain("flag-token");
    } finally {
      const code = await server.stop();
      expect(code, JSON.stringify(server.output())).toBe(0);
    }
  });

  it("environment fallbacks: PORT, HUBHOOKS_HOST, WEBHOOK_SECRET, HUBHOOKS_DATABASE, HUBHOOKS_DASHBOARD_TOKEN", async () => {
    const server = await startCli(process.execPath, [BIN, "serve", "app.ts"], {
      cwd: dir,
      env: {
        PORT: "0",
        HUBHOOKS_HOST: "127.0.0.1",
        WEBHOOK_SECRET: "env-secret",
        HUBHOOKS_DATABASE: join(dir, "env.db"),
        HUBHOOKS_DASHBOARD_TOKEN: "env-token",
      },
    });
    try {
      await exercise(server, "env-secret", "env-token");
      expect(existsSync(join(dir, "env.db"))).toBe(true);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it.skipIf(!inject("postgresUrl"))("--database postgres://…: the delivery log on a real Postgres server, URL password never printed", async () => {
    const url = new URL(inject("postgresUrl"));
    url.password = "pg-password-not-to-print"; // trust authentication ignores it
    const server = await startCli(
      process.execPath,
      [BIN, "serve", "app.ts", "--port", "0", "--host", "127.0.0.1", "--secret", "pg-secret", "--database", url.toString(), "--dashboard-token", "pg-token"],
      { cwd: dir, env: { HUBHOOKS_DATABASE_SCHEMA: `cli_${process.pid}` } },
    );
    try {
      await exercise(server, "pg-secret", "pg-token");
      const { stdout, stderr } = server.output();
      expect(stdout + stderr).not.toContain("pg-password-not-to-print");
      const db = new pg.Client({ connectionString: inject("postgresUrl") });
      await db.connect();
      try {
        const { rows } = await db.query(`select endpoint, status from "cli_${process.pid}".deliveries`);
        expect(rows).toEqual([{ endpoint: "say_hello", status: "succeeded" }]);
      } finally {
        await db.end();
      }
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it.each([
    [["serve", "missing.ts"], "hubhooks: No such file: missing.ts"],
    [["serve", "app.ts", "--port", "http"], "hubhooks: Invalid port: http (use 0-65535)"],
    [["serve", "app.ts", "--port", "70000"], "hubhooks: Invalid port: 70000 (use 0-65535)"],
    [["serve", "throws.ts"], "hubhooks: Cannot load throws.ts: no config found"],
    [["serve", "app.ts", "--provider", "relay"], "hubhooks: --provider goes with --share"],
    [["serve", "app.ts", "--watch", "model:a/b"], "hubhooks: --watch, --domain and --cleanup go with --register"],
    [["serve", "app.ts", "--share", "--register"], "hubhooks: registering a Hub webhook needs at least one --watch type:name (e.g. --watch model:me/my-model --watch org:my-org)"],
    [["serve", "app.ts", "--register", "--watch", "repo:x"], 'hubhooks: Invalid watched item "repo:x": unknown type "repo" (types: user, org, model, dataset, space, bucket)'],
    [["serve", "app.ts", "--provider", "nope"], `error: option '--provider <name>' argument 'nope' is invalid. Allowed choices are auto, relay, localtunnel, cloudflared, ngrok.`],
  ])("fails with one line and exit 1: %j", async (args, message) => {
    // In process, except loading a module (the TS loader's hooks belong to a real CLI process, not to vitest's).
    const run = args[1] === "throws.ts" ? runCli : runMain;
    const { code, stderr } = await run(args, { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toBe(message + "\n");
  });

  it.each([
    [{ PORT: "abc" }, 'hubhooks: PORT must be a whole number from 0 to 65535, not "abc".'],
    [{ PORT: "70000" }, 'hubhooks: PORT must be a whole number from 0 to 65535, not "70000".'],
    [{ HUBHOOKS_HOST: "local host!" }, 'hubhooks: HUBHOOKS_HOST must be a host name or an IP address (e.g. 0.0.0.0), not "local host!".'],
  ])("a bad listen variable is refused with one line and exit 1, not ignored: %j", async (env, message) => {
    const { code, stderr } = await runCli(["serve", "app.ts", "--database", ":memory:"], { cwd: dir, env });
    expect(code).toBe(1);
    expect(stderr).toBe(message + "\n");
  });

  it("a module that does not compile: one line without a stack; --debug adds the stack", async () => {
    const plain = await runCli(["serve", "broken.ts", "--port", "0"], { cwd: dir });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe("hubhooks: Cannot compile broken.ts:1:26: Expression expected\n");
    const debug = await runCli(["serve", "broken.ts", "--port", "0", "--debug"], { cwd: dir });
    expect(debug.code).toBe(1);
    expect(debug.stderr.split("\n")[0]).toBe(plain.stderr.trimEnd());
    expect(debug.stderr).toMatch(/\n +at /);
    expect(debug.stderr).toContain("1 | export const x: number = ;");
  });
});
