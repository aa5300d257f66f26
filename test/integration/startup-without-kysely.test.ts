import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "hubhooks-startup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DIST = new URL("../../dist/index.js", import.meta.url).href;

/** A real process: launch on `path`, one delivery, then say which kysely modules it loaded (and after a dashboard read). */
function run(path: string): { atLaunch: number; afterDelivery: number; afterRead: number; status: number } {
  const script = `
    import { registerHooks } from "node:module";
    let kysely = 0;
    registerHooks({ load(url, context, next) { if (url.includes("/node_modules/kysely/")) kysely++; return next(url, context); } });
    const { WebhooksServer } = await import(${JSON.stringify(DIST)});
    const app = new WebhooksServer({ database: ${JSON.stringify(path)}, print: () => {}, handleSignals: false, env: { LOG_LEVEL: "silent" } });
    app.addWebhook("a", () => "ok");
    const info = await app.launch({ port: 0, host: "127.0.0.1" });
    const atLaunch = kysely;
    const res = await fetch(info.localUrl + "/webhooks/a", { method: "POST", headers: { "content-type": "application/json" }, body: '{"event":{"action":"update","scope":"repo"},"repo":{"type":"model","name":"a/b","id":"1"}}' });
    const afterDelivery = kysely;
    await app.store.count({});
    console.log(JSON.stringify({ atLaunch, afterDelivery, afterRead: kysely, status: res.status }));
    await app.close();`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }).trim().split("\n").at(-1)!);
}

describe("a server on a migrated SQLite log starts without kysely (real processes, a real file)", () => {
  it("loads kysely to migrate a new file; on the next start, not until the first dashboard or API read", () => {
    const path = join(dir, "log.db");
    const first = run(path);
    expect(first.atLaunch).toBeGreaterThan(0);
    expect(first.status).toBe(200);
    const second = run(path);
    expect(second).toMatchObject({ atLaunch: 0, afterDelivery: 0, status: 200 });
    expect(second.afterRead).toBeGreaterThan(0);
  });
});
