import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { destinationLabel, discordMessage, slackMessage } from "../../src/forward.js";
import { FIXTURE_NAMES, getFixture } from "../../src/payload/fixtures.js";
import type { WebhookPayload } from "../../src/payload/schema.js";

const DIR = new URL("../fixtures/hub/", import.meta.url);
const files = readdirSync(DIR).filter((f) => f.endsWith(".json"))
  .map((f) => [`test/fixtures/hub/${f}`, JSON.parse(readFileSync(new URL(f, DIR), "utf8")) as WebhookPayload] as const);
const shipped = FIXTURE_NAMES.map((name) => [name, getFixture(name)] as const);

describe("default messages (snapshots of every shipped fixture and every Hub docs example)", () => {
  it.each([...shipped, ...files])("%s", (_name, payload) => {
    expect({ discord: discordMessage(payload), slack: slackMessage(payload) }).toMatchSnapshot();
  });
});

describe("default messages: what users type shows as typed", () => {
  const comment = getFixture("discussion.comment.create", {
    set: { "discussion.title": "**Fix** [me](https://evil.example) _now_", "comment.content": `@everyone <!channel> see <https://evil.example|here>\n${"x".repeat(500)}` },
  });

  it("Discord: markdown escaped, no fake link, mentions disabled, the excerpt cut", () => {
    const m = discordMessage(comment);
    expect(m.allowed_mentions).toEqual({ parse: [] });
    const embed = m.embeds![0]!;
    expect(embed.title).toBe("New comment on discussion #4 (**Fix** [me](https://evil.example) _now_) in some-user/some-space"); // titles are plain text
    expect(embed.description).toMatch(/^> @everyone <!channel> see <https:\/\/evil\.example\\\|here>\n> x{226}…$/);
  });

  it("Slack: &, < and > escaped so no mention or link can be injected", () => {
    const text = (slackMessage(comment).blocks![0] as { text: { text: string } }).text.text;
    expect(text).toContain(">@everyone &lt;!channel&gt; see &lt;https://evil.example|here&gt;");
    expect(text).toContain("|New comment on discussion #4 (**Fix** [me](https://evil.example) _now_) in some-user/some-space>*");
  });

  it("an unknown event still gets a generic line", () => {
    const m = discordMessage({ ...getFixture("repo.create"), event: { scope: "space.hardware", action: "upgrade" } } as WebhookPayload);
    expect(m.embeds![0]!.title).toBe("space.hardware.upgrade on some-user/some-repo");
  });
});

describe("destinationLabel: the only name a destination URL ever gets", () => {
  it.each([
    ["discord", "https://discord.com/api/webhooks/112233445566/AbCdEfToken", "discord:…/5566"],
    ["slack", "https://hooks.slack.com/services/T0AAAA/B0BBBB1234/XyZtoken", "slack:…/1234"],
    ["http", "https://relay.example.com/hooks/abc?token=t0k", "http:…/abc"],
    ["http", "https://relay.example.com/", "http:…/.com"],
  ])("%s %s → %s", (kind, url, label) => {
    expect(destinationLabel(kind, url)).toBe(label);
  });
});
