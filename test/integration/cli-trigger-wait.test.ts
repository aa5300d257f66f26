// `hubhooks trigger --wait` follows a delivery to its final state through the delivery API and exits 0 only when
// it succeeded (or was skipped); without --wait a 2xx whose handler failed or whose payload was quarantined gets a
// one-line warning. The built CLI and the server each run as a real subprocess.
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, REPO_ROOT, runCli, startCli, type RunningCli } from "../helpers/cli.js";

const TOKEN = "dashboard-t0ken";
const APP = `import { webhookEndpoint, NonRetryableError } from "hubhooks";
import { z } from "zod";
webhookEndpoint("hello", async (payload) => ({ ok: payload.repo.name }));
let calls = 0;
webhookEndpoint("flaky", { retry: { maxAttempts: 3, initialDelayMs: 100, jitter: 0 } }, async () => {
  if (++calls === 1) throw new Error("first try fails");
  return { calls };
});
webhookEndpoint("fatal", async () => { throw new NonRetryableError("no way"); });
webhookEndpoint("strict", { schema: z.object({ nope: z.string() }) }, async () => null);
webhookEndpoint("picky").on("discussion.comment.create", () => "never for a repo event");
`;

let dir = "";
let server: RunningCli;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hubhooks-trigger-wait-"));
  await writeFile(join(dir, "app.ts"), APP);
  await mkdir(join(dir, "node_modules"));
  await symlink(REPO_ROOT, join(dir, "node_modules", "hubhooks"), "dir");
  await symlink(join(REPO_ROOT, "node_modules", "zod"), join(dir, "node_modules", "zod"), "dir");
  server = await startCli(process.execPath, [BIN, "serve", "app.ts"], { cwd: dir, env: { PORT: "0", HUBHOOKS_DASHBOARD_TOKEN: TOKEN } });
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const trigger = (endpoint: string, ...extra: string[]) =>
  runCli(["trigger", "repo.content.update", "--endpoint", endpoint, "--to", server.url, ...extra], { cwd: dir });
const afterResponse = (stdout: string) => stdout.split("\n").slice(3).join("\n"); // past the POST line, status and body

describe("hubhooks trigger --wait", () => {
  it("exits 0 once the delivery succeeded, following a retry through the delivery API with the token", async () => {
    const ok = await trigger("hello", "--wait", "--token", TOKEN);
    expect({ code: ok.code, stderr: ok.stderr }).toEqual({ code: 0, stderr: "" });
    expect(afterResponse(ok.stdout)).toMatch(/^dlv_\w+: succeeded \(attempt 1, \d+ ms\)\n$/);
    const flaky = await runCli(["trigger", "repo.content.update", "--endpoint", "flaky", "--to", server.url, "--wait"], { cwd: dir, env: { HUBHOOKS_DASHBOARD_TOKEN: TOKEN } });
    expect(flaky.code).toBe(0);
    expect(flaky.stdout.split("\n")[1]).toBe("202 Accepted");
    expect(afterResponse(flaky.stdout)).toMatch(/^(dlv_\w+): retrying after attempt 1 of 3: first try fails\n\1: succeeded \(attempt 2, \d+ ms\)\n$/);
    expect(flaky.stdout + flaky.stderr).not.toContain(TOKEN);
  });

  it("exits 1 when the handler failed for good or the payload was quarantined; 0 when no route applied (skipped)", async () => {
    const dead = await trigger("fatal", "--wait", "--token", TOKEN);
    expect(dead.code).toBe(1);
    expect(afterResponse(dead.stdout)).toMatch(/^dlv_\w+: dead after 1 attempt\(s\): no way\n$/);
    const invalid = await trigger("strict", "--wait", "--token", TOKEN);
    expect(invalid.code).toBe(1);
    expect(afterResponse(invalid.stdout)).toMatch(/^dlv_\w+: invalid, quarantined without running: Payload does not match the endpoint's schema\./);
    const skipped = await trigger("picky", "--wait", "--token", TOKEN);
    expect(skipped.code).toBe(0);
    expect(afterResponse(skipped.stdout)).toMatch(/^dlv_\w+: skipped/);
  });

  it("without the server's token, says how to pass it", async () => {
    const refused = await trigger("hello", "--wait");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^hubhooks: GET \/api\/deliveries\/dlv_\w+ answered 401: .* Pass --token or set HUBHOOKS_DASHBOARD_TOKEN\.\n$/);
  });
});

describe("hubhooks trigger without --wait", () => {
  it("exits 0 on a 202 (the Hub's view) with a one-line warning when the handler failed or the payload was quarantined", async () => {
    const dead = await trigger("fatal");
    expect(dead.code).toBe(0);
    expect(dead.stderr).toBe(
      "hubhooks: warning: the handler failed and no attempt is left (dead) (no way); the Hub counts this 202 as delivered. --wait follows it and exits 1 unless it succeeds.\n",
    );
    const invalid = await trigger("strict");
    expect(invalid.stderr).toMatch(/^hubhooks: warning: the payload failed validation and was quarantined without running \(invalid\) \(Payload does not match the endpoint's schema\.\); the Hub counts this 202 as delivered\./);
    const ok = await trigger("hello");
    expect({ code: ok.code, stderr: ok.stderr }).toEqual({ code: 0, stderr: "" });
  });
});
