/**
 * A bare HTML preview of forwarded messages, for the browser test: Discord's embed (title linked, description in
 * Discord markdown: `\` escapes, `[text](url)`, `` `code` ``, `> ` quotes) and Slack's mrkdwn (`<url|text>`,
 * `*bold*`, `` `code` ``, `>` quotes, `&amp;` `&lt;` `&gt;`), each turned into plain HTML so Chromium can show what a
 * reader would see. Not a look-alike of either client: only text and links matter.
 */
import type { DiscordMessage, SlackMessage } from "../../src/forward.js";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function discordInline(md: string): string {
  let out = "";
  for (let i = 0; i < md.length; ) {
    const rest = md.slice(i);
    const link = /^\[((?:\\.|[^\]\\])*)\]\(([^)\s]+)\)/.exec(rest);
    const code = /^`([^`]*)`/.exec(rest);
    if (md[i] === "\\" && i + 1 < md.length) {
      out += esc(md[i + 1]!);
      i += 2;
    } else if (link) {
      out += `<a href="${esc(link[2]!)}">${discordInline(link[1]!)}</a>`;
      i += link[0].length;
    } else if (code) {
      out += `<code>${esc(code[1]!)}</code>`;
      i += code[0].length;
    } else {
      out += esc(md[i]!);
      i++;
    }
  }
  return out;
}

function discordBlock(md: string): string {
  return md.split("\n").map((line) => line.startsWith("> ") ? `<blockquote>${discordInline(line.slice(2))}</blockquote>` : `<p>${discordInline(line)}</p>`).join("");
}

/** The HTML a reader of the Discord channel would get (first embed). */
export function discordPreview(m: DiscordMessage): string {
  const e = m.embeds?.[0];
  if (!e) return `<p>${discordInline(m.content ?? "")}</p>`;
  const title = e.url ? `<a class="title" href="${esc(e.url)}">${esc(e.title ?? "")}</a>` : `<span class="title">${esc(e.title ?? "")}</span>`;
  return `<h3>${title}</h3>${e.description ? discordBlock(e.description) : ""}`;
}

const unentity = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

function slackInline(text: string): string {
  return text.split(/(<[^>|]+\|[^>]*>|`[^`]*`|\*[^*\n]+\*)/).map((piece) => {
    const link = /^<([^>|]+)\|([^>]*)>$/.exec(piece);
    if (link) return `<a href="${esc(unentity(link[1]!))}">${esc(unentity(link[2]!))}</a>`;
    if (/^`[^`]*`$/.test(piece)) return `<code>${esc(unentity(piece.slice(1, -1)))}</code>`;
    if (/^\*[^*\n]+\*$/.test(piece)) return `<b>${slackInline(piece.slice(1, -1))}</b>`;
    return esc(unentity(piece));
  }).join("");
}

/** The HTML a reader of the Slack channel would get (the first section block). */
export function slackPreview(m: SlackMessage): string {
  const section = (m.blocks?.[0] as { text?: { text?: string } } | undefined)?.text?.text ?? m.text;
  const [first, ...rest] = section.split("\n");
  const body = rest.map((line) => line.startsWith(">") ? `<blockquote>${slackInline(line.slice(1))}</blockquote>` : `<p>${slackInline(line)}</p>`);
  return `<h3>${slackInline(first!).replace("<a ", '<a class="title" ')}</h3>${body.join("")}`;
}
