// Issue 15 (hardening), the process side: defects that showed in real processes (a spinning start, a frozen event
// loop, racing migrations, a container that does not stop gracefully), reproduced with real subprocesses.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { fixture, getFixture } from "../../src/payload/index.js";
import { writeDevState } from "../../src/dev/dev-state.js";
import { ensureDirectory } from "../../src/internal/ensure-directory.js";
import { WebhooksServer } from "../../src/server/webhooks-server.js";
import { loadNodeSqlite } from "../../src/store/sqlite/open-sqlite.js";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.js";
import { BIN, REPO_ROOT, baseEnv, runCli, startCli } from "../helpers/cli.js";
import { closeAfterEach } from "../helpers/close-after-each.js";
import { silentLogger, startServer } from "../helpers/server.js";

const APP = `import { webhookEndpoint } from "hubhooks";
webhookEndpoint("hook", async (payload) => ({ repo: payload.repo.name }));
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hubhooks-harden-proc-"));
  await writeFile(join(dir, "app.ts"), APP);
  await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  await mkdir(join(dir, "node_modules"));
  await symlink(REPO_ROOT, join(dir, "node_modules", "hubhooks"), "dir");
});
afterAll(() => rm(dir, { recursive: true, force: true }));
const track = closeAfterEach();

/** Resolve once `text` has appeared in what `read()` returns, re-checked on every chunk of `stream`. */
function when(stream: NodeJS.ReadableStream, read: () => string, text: string | RegExp): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (typeof text === "string" ? read().includes(text) : text.test(read())) {
        stream.off("data", check);
        resolve();
      }
    };
    stream.on("data", check);
    check();
  });
}

describe("8. serve --database /proc/nope/x.db", () => {
  it("does not spin: it listens, says why in one log line, answers 503 (+ /readyz 503), and SIGTERM stops it (exit 0)", async () => {
    const server = await startCli(process.execPath, [BIN, "serve", "app.ts", "--port", "0", "--database", "/proc/nope/x.db"], {
      cwd: dir,
      env: { LOG_LEVEL: "info" },
    });
    // The event loop is free: every request is answered (the old code sat in a synchronous mkdir loop at full CPU).
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    const res = await fetch(`${server.url}/webhooks/hook`, { method: "POST", body: JSON.stringify(fixture("repo.create")) });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toContain("ENOENT: no such file or directory, mkdir '/proc/nope'");
    const logged = server.output().stderr.split("\n").filter((l) => l.includes("the delivery log is unavailable"));
    expect(logged).toHaveLength(1);
    expect(await server.stop()).toBe(0);
  });
});

describe("8, siblings: every mkdir -p is bounded", () => {
  it("`hubhooks init /proc/nope/space` ends with one line and exit 1 (Node's recursive mkdir never returned)", async () => {
    const { code, stderr } = await runCli(["init", "/proc/nope/space"]);
    expect(code).toBe(1);
    expect(stderr).toBe("hubhooks: ENOENT: no such file or directory, mkdir '/proc/nope'\n");
  });

  it("the dev state directory (HUBHOOKS_STATE_DIR) under /proc: the write fails instead of hanging", async () => {
    await expect(writeDevState("/proc/nope/state", { version: 1, webhooks: {} })).rejects.toThrow("mkdir '/proc/nope'");
  });

  it("the default log directory is created level by level", () => {
    ensureDirectory(join(dir, "a", "b", "c"));
    expect(existsSync(join(dir, "a", "b", "c"))).toBe(true);
    ensureDirectory(join(dir, "a", "b", "c")); // idempotent
  });
});

describe("9. another process holding the SQLite write lock", () => {
  it("does not freeze the event loop: /healthz answers while a delivery waits for the lock, which then records it", async () => {
    const path = join(dir, "locked.db");
    const store = await createSqliteStore({ path });
    // Tells when a write has begun: its first try (synchronous, inside the call) meets the lock.
    let writing!: () => void;
    const writeBegun = new Promise<void>((r) => (writing = r));
    const writeBatch = store.writeBatch.bind(store);
    const s = track(await startServer({ store }, (app) => app.addWebhook("hook", () => ({ ok: true }))));
    await s.app.start();
    store.writeBatch = (batch) => {
      const out = writeBatch(batch);
      if (batch.records.length > 0) writing();
      return out;
    };
    const holder = spawn(process.execPath, ["-e", `
      const { DatabaseSync } = process.getBuiltinModule("node:sqlite");
      const db = new DatabaseSync(${JSON.stringify(path)});
      db.exec("BEGIN EXCLUSIVE; UPDATE deliveries SET error = error;");
      process.stdout.write("locked\\n");
      process.stdin.once("data", () => { db.exec("COMMIT"); db.close(); process.stdout.write("released\\n"); });
    `], { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    holder.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    await when(holder.stdout, () => out, "locked");

    let recorded: Response | undefined;
    const delivery = s.post("/webhooks/hook", fixture("repo.create")).then((r) => (recorded = r));
    // Once the delivery's write has met the lock, ask for /healthz: it must be answered while the lock is still
    // held and the delivery still waits for it (a synchronous busy wait answered it only after giving up, with 503).
    await writeBegun;
    const health = await fetch(`${s.info.localUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(recorded).toBeUndefined();
    // Readiness tries the write lock too (for up to 1 s): not writable while the other process holds it.
    const ready = await fetch(`${s.info.localUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { log: "unwritable" }, reasons: ["the delivery log cannot be written"] });
    expect(recorded).toBeUndefined();
    expect(out).not.toContain("released");
    holder.stdin.write("go\n");
    await when(holder.stdout, () => out, "released");
    await delivery;
    expect(recorded!.status).toBe(200);
    expect(await recorded!.json()).toEqual({ ok: true });
    expect((await fetch(`${s.info.localUrl}/readyz`)).status).toBe(200);
  });
});

describe("12. several processes on one fresh SQLite file", () => {
  it("three servers started at once on a new file all migrate and serve (4 rounds)", async () => {
    for (let round = 0; round < 4; round++) {
      const path = join(dir, `fresh-${round}.db`);
      const servers = await Promise.all(
        [0, 1, 2].map(() =>
          startCli(process.execPath, [BIN, "serve", "app.ts", "--port", "0", "--database", path], { cwd: dir, env: { LOG_LEVEL: "warn" } }),
        ),
      );
      try {
        for (const server of servers) {
          const ready = await fetch(`${server.url}/readyz`);
          expect(ready.status, server.output().stderr).toBe(200);
          const res = await fetch(`${server.url}/webhooks/hook`, { method: "POST", body: JSON.stringify(fixture("repo.create")) });
          expect(res.status).toBe(200);
        }
      } finally {
        const codes = await Promise.all(servers.map((s) => s.stop()));
        expect(codes).toEqual([0, 0, 0]);
      }
      for (const server of servers) expect(server.output().stderr).not.toMatch(/migration|UNIQUE constraint/i);
      const db = new (loadNodeSqlite().DatabaseSync)(path);
      expect(db.prepare("SELECT count(*) AS n FROM deliveries").get()).toEqual({ n: 3 });
      expect((db.prepare("SELECT count(*) AS n FROM hubhooks_migration").get() as { n: number }).n).toBeGreaterThanOrEqual(5);
      db.close();
    }
  });

  it("two connections migrating one fresh file at once take turns (kysely's migrator interleaved them before)", async () => {
    for (let round = 0; round < 5; round++) {
      const path = join(dir, `pair-${round}.db`);
      const [a, b] = await Promise.all([createSqliteStore({ path }), createSqliteStore({ path })]);
      try {
        await Promise.all([a.migrate(), b.migrate()]);
        expect(await a.count({})).toBe(0);
        expect(await b.count({})).toBe(0);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    }
  });

  it("sibling: `serve --database mysql://db/hooks` stops with one line (it was made a path: a folder named mysql:)", async () => {
    const { code, stderr } = await runCli(["serve", "app.ts", "--port", "0", "--database", "mysql://db/hooks"], {
      cwd: dir,
      env: { LOG_LEVEL: "silent" },
    });
    expect(stderr).toBe('hubhooks: Unsupported database "mysql://db/hooks": use a SQLite file path, ":memory:" or a postgres:// URL.\n');
    expect(code).toBe(1);
    expect(existsSync(join(dir, "mysql:"))).toBe(false);
  });

  const pgUrl = inject("postgresUrl");
  it.skipIf(!pgUrl)("a postgresql:// URL goes to the Postgres engine (loaded lazily), not to a folder named postgresql:", async () => {
    const cwd = process.cwd();
    const url = pgUrl.replace(/^postgres(ql)?:/, "postgresql:");
    const app = new WebhooksServer({
      env: {}, print: () => {}, handleSignals: false, logger: silentLogger, database: url,
      databaseSchema: `harden_${process.pid}`,
    });
    await app.start();
    expect(app.store!.engine).toBe("postgres");
    const ready = await app.fetch(new Request("http://127.0.0.1/readyz"));
    expect([ready.status, ((await ready.json()) as { checks: unknown }).checks]).toEqual([
      200, { log: "ok", workers: "running", shuttingDown: false },
    ]);
    await app.close();
    expect(existsSync(join(cwd, "postgresql:"))).toBe(false);
  });
});

describe("10. the init Dockerfile", () => {
  it("its CMD stops gracefully on SIGTERM (the in-flight handler finishes) and its HEALTHCHECK passes on /readyz", async () => {
    const space = join(dir, "space");
    expect((await runCli(["init", space, "--no-install"])).code).toBe(0);
    const dockerfile = await readFile(join(space, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev$/m);
    expect(dockerfile).toContain("COPY --chown=node:node package.json package-lock.json ./");
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    const healthcheck = JSON.parse(/^ {2}CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    expect(cmd[0]).toBe("node"); // no npx or shell between docker and the server: the signal reaches it
    expect(healthcheck[0]).toBe("node");

    // The scaffold's app.ts, with a handler that waits for the test before it finishes.
    await mkdir(join(space, "node_modules"));
    await symlink(REPO_ROOT, join(space, "node_modules", "hubhooks"), "dir");
    let releaseGate!: () => void;
    const gateOpen = new Promise<void>((r) => (releaseGate = r));
    const waiting: ServerResponse[] = [];
    const gate = createServer((_req, res) => {
      waiting.push(res);
      void gateOpen.then(() => res.end("go"));
    });
    await new Promise<void>((r) => gate.listen(0, "127.0.0.1", () => r()));
    const gateUrl = `http://127.0.0.1:${(gate.address() as { port: number }).port}/`;
    await writeFile(join(space, "app.ts"), `import { webhookEndpoint } from "hubhooks";
webhookEndpoint("hello", async (payload) => {
  console.log("handler started");
  await (await fetch(process.env.GATE_URL)).text();
  console.log("handler finished");
  return { repo: payload.repo.name };
});
`);
    const env = baseEnv({ PORT: "0", HUBHOOKS_HOST: "127.0.0.1", HUBHOOKS_DATABASE: join(space, "log.db"), GATE_URL: gateUrl, LOG_LEVEL: "info" });
    const child: ChildProcess = spawn(cmd[0]!, cmd.slice(1), { cwd: space, env, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    try {
      await when(child.stdout!, () => stdout, "Go to https://huggingface.co/settings/webhooks");
      const url = /Running on local URL: +(\S+)/.exec(stdout)![1]!;
      const port = new URL(url).port;
      const check = spawn(healthcheck[0]!, healthcheck.slice(1), { env: baseEnv({ PORT: port }), stdio: "ignore" });
      expect(await new Promise((r) => check.once("exit", r))).toBe(0);

      const answer = fetch(`${url}/webhooks/hello`, { method: "POST", body: JSON.stringify(getFixture("repo.create", { repo: "me/graceful" })) });
      await when(child.stdout!, () => stdout, "handler started");
      child.kill("SIGTERM"); // to the exact process the CMD starts
      await when(child.stderr!, () => stderr, "shutting down");
      expect(stdout).not.toContain("handler finished");
      releaseGate();
      const res = await answer;
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ repo: "me/graceful" });
      expect(await exited).toBe(0);
      expect(stdout).toContain("handler finished");
      const db = new (loadNodeSqlite().DatabaseSync)(join(space, "log.db"));
      expect(db.prepare("SELECT status, attempts FROM deliveries").all()).toEqual([{ status: "succeeded", attempts: 1 }]);
      db.close();
    } finally {
      child.kill("SIGKILL");
      releaseGate();
      for (const res of waiting) res.destroy();
      gate.close();
    }
  });
});
