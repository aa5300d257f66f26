import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { getFixture } from "../../src/payload/fixtures.js";
import { BIN, runMain } from "../helpers/cli.js";
import { fakeDiscord, type ChatStandIn } from "../helpers/fake-chat.js";
import { withServerProcess } from "../helpers/spawn-server.js";

let discord: ChatStandIn | undefined;
afterEach(async () => {
  await discord?.close();
});

describe("hubhooks init --forward", () => {
  it("scaffolds a no-code Space whose hubhooks.forward.json forwards to the Discord of DISCORD_WEBHOOK_URL", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "hubhooks-init-forward-"));
    const { code, stdout, stderr } = await runMain(["init", "notifier", "--forward", "--no-install"], { cwd });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const lines = stdout.split("\n");
    expect(lines.slice(0, 5)).toEqual([
      "Created a Docker Space in notifier: README.md, Dockerfile, package.json, tsconfig.json, .gitignore, .dockerignore, hubhooks.forward.json",
      "Try it:",
      "  cd notifier",
      "  npm install",
      "  DISCORD_WEBHOOK_URL=… npx hubhooks forward   # local only: events posted to it go to your Discord channel",
    ]);
    expect(stdout).toContain("Deploy it: create a Docker Space named notifier at");
    const dir = join(cwd, "notifier");
    expect(existsSync(join(dir, "app.ts"))).toBe(false);
    const read = (f: string) => readFileSync(join(dir, f), "utf8");
    expect(read("Dockerfile").trimEnd().split("\n").at(-1)).toBe('CMD ["node", "node_modules/hubhooks/bin/hubhooks.js", "forward"]');
    expect(JSON.parse(read("package.json")).scripts.start).toBe("hubhooks forward");
    expect(JSON.parse(read("hubhooks.forward.json"))).toEqual({ endpoint: "forward", destinations: [
      { to: "discord", url: "${DISCORD_WEBHOOK_URL}", on: ["repo.content.update", "discussion", "discussion.comment"] },
    ] });
    expect(read("README.md")).toContain("Add it to the Space as the **secret** `DISCORD_WEBHOOK_URL`");

    // The scaffold runs as it is: hubhooks forward in that folder, the URL from the variable.
    discord = await fakeDiscord();
    await withServerProcess([BIN, "forward"], async (base) => {
      const res = await fetch(`${base}/webhooks/forward`, { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify(getFixture("discussion.create.pull-request")) });
      expect(await res.json()).toEqual({ forwarded: { "discord:…/1234": "sent (204)" } });
    }, { cwd: dir, env: { DISCORD_WEBHOOK_URL: discord.url } });
    expect(discord.requests[0]!.json.embeds[0].title).toBe("Pull request #19 opened on openai-community/gpt2: Update co2 emissions");
  });

  it("--forward with --job is refused in one line", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "hubhooks-init-forward-"));
    expect(await runMain(["init", "x", "--forward", "--job"], { cwd })).toMatchObject({
      code: 1, stderr: "hubhooks: --forward and --job make different projects: pick one\n" });
  });
});
