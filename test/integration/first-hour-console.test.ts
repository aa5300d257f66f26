// What a newcomer's terminal shows, through the built CLI in a real subprocess (stderr piped, so not a TTY): a
// banner that says "ready" only when it is, local URLs said to be local, expected conditions (no delivery log, no
// tunnel) in one line without a stack, one pretty line per delivery, no colour codes in a redirected stream, and
// the dashboard's page loads at debug.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, REPO_ROOT, runCli, startCli, type RunningCli } from "../helpers/cli.js";
import { mkdir, symlink } from "node:fs/promises";

const APP = `import { webhookEndpoint } from "hubhooks";
webhookEndpoint("hello", async (payload) => ({ ok: payload.repo.name }));
webhookEndpoint("boom", { retry: { maxAttempts: 2, initialDelayMs: 3_600_000 } }, async () => {
  throw new Error("kaboom");
});
`;

let dir = "";
const running: RunningCli[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hubhooks-first-hour-"));
  await writeFile(join(dir, "app.ts"), APP);
  await mkdir(join(dir, "node_modules"));
  await symlink(REPO_ROOT, join(dir, "node_modules", "hubhooks"), "dir");
  await writeFile(join(dir, "not-a-folder"), "a file where the log's folder should be\n");
});
afterAll(async () => {
  for (const server of running) await server.stop();
  await rm(dir, { recursive: true, force: true });
});

async function serve(env: Record<string, string>, args: string[] = []): Promise<RunningCli> {
  const server = await startCli(process.execPath, [BIN, "serve", "app.ts", ...args], { cwd: dir, env: { PORT: "0", LOG_LEVEL: "info", LOG_FORMAT: "pretty", ...env } });
  running.push(server);
  return server;
}

/** Resolves once the server's stderr holds `text` (bounded by the test's timeout; no sleeping). */
function stderrWith(server: RunningCli, text: string): Promise<string> {
  return new Promise((resolve) => {
    const check = () => {
      const { stderr } = server.output();
      if (!stderr.includes(text)) return false;
      server.child.stderr!.off("data", onData);
      resolve(stderr);
      return true;
    };
    const onData = () => void setImmediate(check);
    if (!check()) server.child.stderr!.on("data", onData);
  });
}

/** A loopback port nothing listens on (a relay that cannot be reached). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const post = (server: RunningCli, name: string) =>
  fetch(`${server.url}/webhooks/${name}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({
    event: { action: "update", scope: "repo" }, repo: { type: "model", name: "me/m", id: "1", private: false, url: { web: "https://huggingface.co/me/m" }, owner: { id: "2" } },
    webhook: { id: "w", version: 3 },
  }) });

describe("hubhooks serve, the first hour's console", () => {
  it("ready: says the URLs are local and how to get a public one; one pretty line per delivery, no colour, no page-load lines", async () => {
    const server = await serve({});
    const lines = server.output().stdout.split("\n");
    const ready = lines.indexOf("Webhooks are correctly setup and ready to use:");
    expect(lines.slice(ready, ready + 5)).toEqual([
      "Webhooks are correctly setup and ready to use:",
      `  - POST ${server.url}/webhooks/hello`,
      `  - POST ${server.url}/webhooks/boom`,
      "These URLs are local: the Hub cannot reach them; for a public URL run `hubhooks dev app.ts` or `hubhooks serve app.ts --share`, or deploy to a Space.",
      "Go to https://huggingface.co/settings/webhooks to setup your webhooks.",
    ]);
    // A dashboard page load (page, favicon, a missing asset): reads, at debug. The page says the URL is local.
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<th>Local webhook URL (the Hub cannot reach it)</th>");
    expect(html).not.toContain("paste it in the Hub");
    await fetch(`${server.url}/favicon.ico`);
    const first = await post(server, "hello");
    const firstId = first.headers.get("x-hubhooks-delivery")!;
    const failed = await post(server, "boom");
    expect([first.status, failed.status]).toEqual([200, 202]);
    const failedId = failed.headers.get("x-hubhooks-delivery")!;
    const second = await post(server, "hello");
    const secondId = second.headers.get("x-hubhooks-delivery")!;
    const stderr = await stderrWith(server, secondId);
    expect(stderr).not.toContain("\u001b["); // not a terminal: no colour codes
    expect(stderr).not.toMatch(/GET \/|favicon/);
    const deliveryLines = stderr.split("\n").filter((l) => l.includes(firstId));
    expect(deliveryLines).toHaveLength(1);
    expect(deliveryLines[0]).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d INFO  hello ${firstId} delivery succeeded · attempt 1 · \\d+ ms$`));
    const failure = stderr.split("\n").filter((l) => l.includes(failedId));
    expect(failure).toHaveLength(1);
    expect(failure[0]).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d WARN  boom ${failedId} delivery attempt failed; will retry · Error: kaboom \\(app\\.ts:4:9\\) · attempt 1 · retry in \\d+ min$`));
    expect(stderr).not.toMatch(/^\s+at /m); // no stack at info
  }, 30_000);

  it("with a public URL (HUBHOOKS_PUBLIC_URL): ready, no local label, and the dashboard says to paste the URL in the Hub", async () => {
    const server = await serve({ HUBHOOKS_PUBLIC_URL: "https://hooks.example.com" });
    const { stdout } = server.output();
    expect(stdout).toContain("Webhooks are correctly setup and ready to use:\n  - POST https://hooks.example.com/webhooks/hello\n");
    expect(stdout).not.toContain("These URLs are local");
    const html = await (await fetch(`${server.url}/`)).text();
    expect(html).toContain("<th>Webhook URL (paste it in the Hub&#39;s webhook settings)</th>");
  }, 30_000);

  it("a delivery log that cannot be opened: not ready, said in one banner line and one log line without a stack; deliveries get 503", async () => {
    const server = await serve({ HUBHOOKS_DATABASE: join(dir, "not-a-folder", "hubhooks.db") });
    const { stdout } = server.output();
    expect(stdout).toContain(
      "\nWebhooks are not ready: the delivery log cannot be opened, so deliveries are answered 503 (the Hub retries them) until it opens.\n" +
        `  - POST ${server.url}/webhooks/hello\n`,
    );
    expect(stdout).not.toContain("ready to use");
    expect((await post(server, "hello")).status).toBe(503);
    const stderr = await stderrWith(server, "the delivery log is unavailable");
    const line = stderr.split("\n").find((l) => l.includes("the delivery log is unavailable"))!;
    expect(line).toMatch(/ERROR the delivery log is unavailable: deliveries are answered 503 \(the Hub retries them\) until it opens; retrying: ENOTDIR: not a directory, mkdir '.*not-a-folder' · retry in 1 s$/);
    // The container's HEALTHCHECK asks /readyz every 30 s: one line each, not a stack.
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    const probed = await stderrWith(server, "readiness: the delivery log cannot be opened");
    expect(probed).toMatch(/WARN  readiness: the delivery log cannot be opened: .*ENOTDIR: not a directory.*\n/);
    expect(probed).not.toMatch(/^\s+at /m);
  }, 30_000);

  it("a tunnel that cannot be reached: one line on the console, not ready for the Hub, no stack unless LOG_LEVEL=debug", async () => {
    const port = await closedPort();
    const relay = `http://127.0.0.1:${port}`;
    const server = await serve({ HUBHOOKS_RELAY_URL: relay }, ["--share", "--provider", "relay"]);
    const { stdout, stderr } = server.output();
    expect(stdout).toContain(
      `Could not open a public URL (could not reach the relay at ${relay}: fetch failed: connect ECONNREFUSED 127.0.0.1:${port}): serving locally only, retrying in the background (--no-share serves locally without trying).\n`,
    );
    expect(stdout).toContain("\nWebhooks are not ready: no public URL yet (the tunnel is retried in the background); the endpoints answer locally meanwhile.\n");
    expect(stderr).not.toContain("tunnel");
    const debug = await serve({ HUBHOOKS_RELAY_URL: relay, LOG_LEVEL: "debug" }, ["--share", "--provider", "relay"]);
    const details = await stderrWith(debug, "tunnel: could not open; retrying in the background");
    expect(details).toMatch(/DEBUG tunnel: could not open; retrying in the background · HubhooksError: .*\n\s+at /);
  }, 30_000);

  it("a port in use: one line, no stack, exit 1", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    try {
      const result = await runCli(["serve", "app.ts"], { cwd: dir, env: { PORT: String(port), LOG_LEVEL: "info", LOG_FORMAT: "pretty" } });
      expect(result.code).toBe(1);
      expect(result.stderr.split("\n").filter((l) => l.startsWith("hubhooks:"))).toEqual([`hubhooks: Cannot listen on 127.0.0.1:${port}: port ${port} is already in use.`]);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 30_000);
});
