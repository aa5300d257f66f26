import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { fixture } from "../../src/payload/index.js";
import { withServerProcess } from "../helpers/spawn-server.js";

const dist = pathToFileURL(resolve("dist/index.js")).href;

/** Run a script in a real Node subprocess, wait for the ready block, call `check`, then stop it with SIGTERM. */
function runScript(source: string, check: (base: string, stdout: () => string) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), "hubhooks-ep-"));
  const file = join(dir, "app.mjs");
  writeFileSync(file, source.replaceAll("HUBHOOKS", dist));
  return withServerProcess([file], check, { cwd: dir });
}

describe("webhookEndpoint (real subprocess)", () => {
  it("starts the implicit server by itself once the script's main code has run", async () => {
    const script = `
      import { webhookEndpoint } from "HUBHOOKS";
      webhookEndpoint(async function triggerTraining(payload) { return { repo: payload.repo.name }; });
      webhookEndpoint("say_hello", async () => ({ message: "hello" }));
      console.log("main code done");
    `;
    const { code, out } = await runScript(script, async (base) => {
      const res = await fetch(`${base}/webhooks/triggerTraining`, {
        method: "POST",
        body: JSON.stringify(fixture("repo.content.update")),
      });
      expect(await res.json()).toEqual({ repo: "some-user/some-repo" });
      const hello = await fetch(`${base}/webhooks/say_hello`, { method: "POST", body: JSON.stringify(fixture("repo.create")) });
      expect(await hello.json()).toEqual({ message: "hello" });
    });
    expect(out.indexOf("main code done")).toBeLessThan(out.indexOf("Webhooks are correctly setup"));
    expect(out).toContain("/webhooks/triggerTraining\n");
    expect(out).toContain("/webhooks/say_hello\n");
    expect(code).toBe(0); // SIGTERM closes gracefully and the process ends by itself
  });

  it("launch() starts at once and cancels the automatic start", async () => {
    const script = `
      import { webhookEndpoint } from "HUBHOOKS";
      const hello = webhookEndpoint("say_hello", async () => ({ message: "hello" }));
      const info = await hello.launch();
      console.log("launched " + info.endpoints.length);
    `;
    const { out } = await runScript(script, async (base, stdout) => {
      const res = await fetch(`${base}/webhooks/say_hello`, { method: "POST", body: JSON.stringify(fixture("repo.create")) });
      expect(res.status).toBe(200);
      expect(stdout()).toContain("launched 1");
    });
    expect(out.match(/Webhooks are correctly setup/g)).toHaveLength(1);
  });
});
