import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getFixture } from "../../src/payload/fixtures.js";
import { BIN, runCli } from "../helpers/cli.js";
import { closeAfterEach } from "../helpers/close-after-each.js";
import { fakeDiscord, fakeSlack, type ChatStandIn } from "../helpers/fake-chat.js";
import { withServerProcess } from "../helpers/spawn-server.js";

const keep = closeAfterEach();
const track = async (p: Promise<ChatStandIn>): Promise<ChatStandIn> => keep(await p);
function dirWithConfig(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "hubhooks-forward-cli-"));
  writeFileSync(join(dir, "hubhooks.forward.json"), typeof config === "string" ? config : JSON.stringify(config));
  return dir;
}
const post = (base: string, body: unknown) =>
  fetch(`${base}/webhooks/forward`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("hubhooks forward (the built CLI as a subprocess, stand-ins speaking Discord's and Slack's protocols)", () => {
  it("--to discord=URL --on --ref --repo: forwards a new tag, skips what the filter leaves out, never prints the URL", async () => {
    const d = await track(fakeDiscord());
    const { code, out } = await withServerProcess(
      [BIN, "forward", "--to", `discord=${d.url}`, "--on", "repo.content.update", "--ref", "refs/tags/*", "--repo", "some-user/*"],
      async (base) => {
        const tag = await post(base, getFixture("repo.content.update"));
        expect([tag.status, await tag.json()]).toEqual([200, { forwarded: { "discord:…/1234": "sent (204)" } }]);
        const other = await post(base, getFixture("repo.content.update", { repo: "someone-else/repo" }));
        expect([other.status, await other.json()]).toEqual([200, null]);
      },
    );
    expect(code).toBe(0);
    expect(d.requests).toHaveLength(1);
    expect(d.requests[0]!.json.embeds[0].title).toBe("New commit on main and new tag test in some-user/some-repo");
    expect(out).toContain("Forwarding /webhooks/forward to:\n  - discord:…/1234 (on repo.content.update; repo some-user/*; ref refs/tags/*)\n");
    expect(out).not.toContain("tok3n");
  });

  it("hubhooks.forward.json: a filter per destination, URLs from ${VARIABLES}", async () => {
    const d = await track(fakeDiscord());
    const s = await track(fakeSlack());
    const cwd = dirWithConfig({ destinations: [
      { to: "discord", on: "repo.content.update" },
      { to: "slack", url: "${MY_SLACK}", on: ["discussion", "discussion.comment"], repoType: "space" },
    ] });
    const env = { DISCORD_WEBHOOK_URL: d.url, MY_SLACK: s.url };
    await withServerProcess([BIN, "forward"], async (base) => {
      const comment = await post(base, getFixture("discussion.comment.create"));
      expect(await comment.json()).toEqual({ forwarded: { "slack:…/WXYZ": "sent (200)" } });
    }, { cwd, env });
    expect([d.requests.length, s.requests.length]).toEqual([0, 1]);
  });

  it.each([
    [{ destinations: [{ to: "discord", on: "repo.push" }] }, {},
      'hubhooks: hubhooks.forward.json: destinations.0.on: unknown event "repo.push"; use "*", a scope (repo, repo.content, repo.config, discussion, discussion.comment), an event such as "repo.content.update", or "raw:<scope>"'],
    [{ destinations: [{ to: "teams" }] }, {}, 'hubhooks: hubhooks.forward.json: destinations.0.to: "to" must be one of discord, slack, http'],
    [{ destinations: [{ to: "slack", chanel: "#general" }] }, { SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x" },
      "hubhooks: hubhooks.forward.json: destinations.0.chanel: unknown key; use to, url, on, repo, repoType, ref, kind, paths, ignoreSelf, debounce, throttle, username, secret"],
    [{ destinations: [{ to: "discord" }] }, {}, "hubhooks: hubhooks.forward.json: destinations.0.url: the environment variable DISCORD_WEBHOOK_URL is not set"],
    [{ destinations: [{ to: "discord", url: "${HOOK}" }] }, { HOOK: "https://discord.com/channels/1/tok3n" },
      "hubhooks: hubhooks.forward.json: destinations.0.url: discord(url): not the expected URL shape; expected a Discord webhook URL such as https://discord.com/api/webhooks/{id}/{token}."],
    ['{"destinations": [', {}, /^hubhooks: hubhooks\.forward\.json is not valid JSON: [^\n]+$/],
  ])("bad config %j: one line, exit 1", async (config, env, line) => {
    const { code, stdout, stderr } = await runCli(["forward"], { cwd: dirWithConfig(config), env });
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    // V8's JSON.parse message differs between Node versions: only its shape is checked.
    if (line instanceof RegExp) expect(stderr.slice(0, -1)).toMatch(line);
    else expect(stderr).toBe(`${line}\n`);
    expect(stderr.endsWith("\n") && stderr.indexOf("\n") === stderr.length - 1).toBe(true);
  });

  it("bad flags: one line each, exit 1", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "hubhooks-forward-cli-"));
    expect(await runCli(["forward", "--to", "teams=https://example.com/x"], { cwd })).toEqual({
      code: 1, stdout: "", stderr: "hubhooks: --to teams: unknown destination; use discord=URL, slack=URL, http=URL\n" });
    expect(await runCli(["forward", "--to", "slack"], { cwd })).toEqual({
      code: 1, stdout: "", stderr: "hubhooks: --to slack: no URL: write --to slack=URL or set SLACK_WEBHOOK_URL\n" });
    expect((await runCli(["forward"], { cwd })).stderr).toBe(
      "hubhooks: nothing to forward to: pass --to discord=URL (or --to discord with DISCORD_WEBHOOK_URL set), or write hubhooks.forward.json\n");
  });
});
