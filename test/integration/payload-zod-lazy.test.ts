import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { getFixture } from "../../src/payload/fixtures.js";

// A real `node` process on the built package (dist/), its loaded modules seen by a module.registerHooks load hook.
function run(database: string | false): { wellFormed: number; zodAfterGood: boolean; bad: number; zodAfterBad: boolean; issues: unknown } {
  const dist = pathToFileURL(resolve("dist/index.js")).href;
  // The fixture is written into the script: hubhooks/testing itself loads zod (fixtures are parsed).
  const good = JSON.stringify(getFixture("discussion.comment.create"));
  const script = `
    import { registerHooks } from "node:module";
    const seen = new Set();
    registerHooks({ load(url, context, next) { seen.add(url); return next(url, context); } });
    const zodLoaded = () => [...seen].some((url) => url.includes("/node_modules/zod/"));
    const { WebhooksServer } = await import(${JSON.stringify(dist)});
    const app = new WebhooksServer({ database: ${JSON.stringify(database)}, env: { LOG_LEVEL: "silent" }, print: () => {}, handleSignals: false });
    app.addWebhook("bot", () => null);
    await app.start();
    const post = (body) => app.fetch(new Request("http://127.0.0.1/webhooks/bot", { method: "POST", body: JSON.stringify(body) }));
    const good = await post(${good});
    const zodAfterGood = zodLoaded();
    const bad = await post({ event: { scope: "repo" }, repo: {} });
    const answer = await bad.json();
    console.log(JSON.stringify({ wellFormed: good.status, zodAfterGood, bad: bad.status, zodAfterBad: zodLoaded(), issues: answer.issues }));
    await app.close();`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
  return JSON.parse(out.trim().split("\n").pop()!);
}

describe("zod loads only for a payload the hand check does not accept (subprocess on dist/)", () => {
  for (const [label, database] of [["inline", false], ["SQLite log", ":memory:"]] as const) {
    it(`${label}: a well-formed delivery runs without zod; a broken one loads it and gets its issues`, () => {
      const r = run(database);
      expect(r.wellFormed).toBe(200);
      expect(r.zodAfterGood).toBe(false);
      expect(r.zodAfterBad).toBe(true);
      // Without a log the payload is refused (422); with one it is quarantined (202). Both carry zod's issues.
      expect(r.bad).toBe(database === false ? 422 : 202);
      expect(r.issues).toEqual(expect.arrayContaining([expect.stringMatching(/^event\.action: /), expect.stringMatching(/^repo\.type: /)]));
    });
  }
});
