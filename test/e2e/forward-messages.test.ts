import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discordMessage, slackMessage } from "../../src/forward.js";
import { FIXTURE_NAMES, getFixture } from "../../src/payload/fixtures.js";
import { discordPreview, slackPreview } from "../helpers/message-preview.js";

const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
let browser: Browser | undefined;

interface Shown {
  name: string;
  service: string;
  text: string;
  links: { text: string; href: string; title: boolean }[];
}

/** Where the title of each fixture's message must link (the thing the event is about). */
const TITLE_LINK: Record<string, string | null> = {
  "repo.create": "https://huggingface.co/some-user/some-repo",
  "repo.delete": null,
  "repo.move": "https://huggingface.co/some-org/some-repo",
  "repo.content.update": "https://huggingface.co/some-user/some-repo/commit/575db8b7a51b6f85eb06eee540738584589f131c",
  "discussion.create.pull-request": "https://huggingface.co/openai-community/gpt2/discussions/19",
  "discussion.comment.create": "https://huggingface.co/spaces/some-user/some-space/discussions/4#6398872887bfcfb93a306f18",
  "discussion.update.merged": "https://huggingface.co/openai-community/gpt2/discussions/19",
};

describe.skipIf(!HAS_CHROMIUM)("forwarded messages rendered in Chromium (text and links, every shipped fixture)", () => {
  let shown: Shown[] = [];
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"] });
    const sections = FIXTURE_NAMES.flatMap((name) => {
      const p = getFixture(name);
      return [
        `<section data-name="${name}" data-service="discord">${discordPreview(discordMessage(p))}</section>`,
        `<section data-name="${name}" data-service="slack">${slackPreview(slackMessage(p))}</section>`,
      ];
    });
    const page = await browser.newPage();
    await page.setContent(`<!doctype html><meta charset="utf-8"><body>${sections.join("\n")}</body>`);
    shown = await page.$$eval("section", (els) => els.map((el) => ({
      name: el.getAttribute("data-name")!,
      service: el.getAttribute("data-service")!,
      text: (el as HTMLElement).innerText,
      links: [...el.querySelectorAll("a")].map((a) => ({ text: a.textContent ?? "", href: a.href, title: a.classList.contains("title") })),
    })));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("Discord and Slack show the same words and the same links for every fixture", () => {
    expect(shown).toHaveLength(FIXTURE_NAMES.length * 2);
    for (const name of FIXTURE_NAMES) {
      const [d, s] = ["discord", "slack"].map((service) => shown.find((x) => x.name === name && x.service === service)!);
      expect(s!.text, name).toBe(d!.text);
      expect(s!.links, name).toEqual(d!.links);
    }
  });

  it("every message names its repo in plain text (no markup or escapes showing) and links only to the Hub", () => {
    for (const x of shown) {
      const repo = getFixture(x.name as (typeof FIXTURE_NAMES)[number]).repo.name;
      expect(x.text, x.name).toContain(repo);
      expect(x.text, x.name).not.toMatch(/\\|\]\(|&lt;|&amp;|<https?:|\*\S/);
      for (const link of x.links) expect(link.href, x.name).toMatch(/^https:\/\/huggingface\.co\//);
    }
  });

  it("titles link to the thing the event is about; refs link to their commit or tag", () => {
    for (const [name, href] of Object.entries(TITLE_LINK)) {
      const title = shown.find((x) => x.name === name && x.service === "discord")!.links.find((l) => l.title);
      expect(title?.href ?? null, name).toBe(href);
    }
    const push = shown.find((x) => x.name === "repo.content.update" && x.service === "slack")!;
    expect(push.text.split("\n").filter(Boolean)).toEqual([
      "New commit on main and new tag test in some-user/some-repo", "main: ce9a467 → 575db8b", "test created at 575db8b",
    ]);
    expect(push.links.filter((l) => !l.title)).toEqual([
      { text: "main", href: "https://huggingface.co/some-user/some-repo/commit/575db8b7a51b6f85eb06eee540738584589f131c", title: false },
      { text: "test", href: "https://huggingface.co/some-user/some-repo/tree/test", title: false },
    ]);
    const comment = shown.find((x) => x.name === "discussion.comment.create" && x.service === "discord")!;
    expect(comment.text).toContain("This adds an env key");
  });
});
