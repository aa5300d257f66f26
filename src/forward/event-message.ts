import type { WebhookPayload } from "../payload/schema.js";

/** A piece of message text: plain text, a link, or code (a sha, a ref). Renderers escape each for their markup. */
export type Part = string | { text: string; url: string } | { code: string };

/**
 * What a default message says about one event, before any service's markup: a title with its link, detail lines
 * and an optional quoted excerpt. `discordMessage` and `slackMessage` render it.
 * @example
 * const m = eventMessage(getFixture("repo.content.update"));
 * m.title; // "New commit on main and new tag test in some-user/some-repo"
 */
export interface EventMessage {
  /** One line, plain text (the notification line): what happened, where. */
  title: string;
  url: string | null;
  lines: Part[][];
  /** A quoted excerpt (a comment's first lines), already shortened. */
  excerpt?: string;
  /** An accent colour (24-bit RGB) per event family. */
  color: number;
}

const COLORS = { created: 0x2ecc71, removed: 0xe74c3c, content: 0x3498db, config: 0x95a5a6, discussion: 0xf1c40f, comment: 0x9b59b6 };
const EXCERPT = 280;

type P = WebhookPayload & Record<string, unknown>;

/**
 * The default message of a delivery, by event family: repo created/deleted/moved, content pushed (refs with links
 * to the commit or tag), config changed, discussion or pull request opened/closed/merged, comment with an excerpt.
 * An unknown event still gets a generic line.
 * @example
 * eventMessage(payload).title; // "Pull request #19 opened on openai-community/gpt2: Update co2 emissions"
 */
export function eventMessage(payload: WebhookPayload): EventMessage {
  const p = payload as P;
  const scope = String(p.event?.scope ?? "");
  const action = String(p.event?.action ?? "");
  const family = scope.startsWith("repo.content") ? "content" : scope.startsWith("repo.config") ? "config"
    : scope.startsWith("discussion.comment") ? "comment" : scope.startsWith("discussion") ? "discussion" : scope === "repo" ? "repo" : "other";
  switch (family) {
    case "repo": return repoMessage(p, action);
    case "content": return contentMessage(p);
    case "config": return configMessage(p);
    case "discussion": return discussionMessage(p, action);
    case "comment": return commentMessage(p, action);
    default: {
      const title = `${scope || "(no scope)"}.${action || "?"} on ${repoLabel(p)}`;
      return { title, url: webUrl(p), lines: [], color: COLORS.config };
    }
  }
}

function repoMessage(p: P, action: string): EventMessage {
  const name = repoLabel(p);
  const url = webUrl(p);
  if (action === "move" && p.movedTo) {
    const to = p.movedTo.name;
    const title = `${kind(p)} ${name} moved to ${to}`;
    const target = url ? url.replace(/[^/]+\/[^/]+$/, to) : null;
    return { title, url: target, lines: [["Now at ", target ? { text: to, url: target } : to]], color: COLORS.content };
  }
  const verb = action === "create" ? "created" : action === "delete" ? "deleted" : action === "update" ? "updated" : action;
  const title = `${kind(p)} ${name} ${verb}`;
  const color = action === "delete" ? COLORS.removed : action === "create" ? COLORS.created : COLORS.config;
  return { title, url: action === "delete" ? null : url, lines: visibility(p), color };
}

function contentMessage(p: P): EventMessage {
  const name = repoLabel(p);
  const url = webUrl(p);
  const refs = p.updatedRefs ?? [];
  const lines: Part[][] = refs.slice(0, 20).map((r) => refLine(url, r));
  if (refs.length > 20) lines.push([`…and ${refs.length - 20} more refs`]);
  const files = p.updatedFiles ?? [];
  if (!refs.length && files.length) {
    const more = p.updatedFilesTruncated ? "+" : "";
    lines.push([`${files.length}${more} file${files.length === 1 ? "" : "s"} changed`]);
    for (const f of files.slice(0, 5)) {
      const path = typeof f === "object" && f && typeof (f as { path?: unknown }).path === "string" ? (f as { path: string }).path : null;
      if (path) lines.push([{ code: path }]);
    }
  }
  const what = refs.length ? refs.map(refPhrase).slice(0, 3).join(" and ") + (refs.length > 3 ? " and more" : "")
    : files.length ? "files changed" : "content updated";
  const title = `${capitalize(what)} in ${name}`;
  const main = refs.find((r) => r.ref === "refs/heads/main" && r.newSha);
  return { title, url: main && url ? `${url}/commit/${main.newSha}` : url, lines, color: COLORS.content };
}

function refLine(url: string | null, r: { ref: string; oldSha: string | null; newSha: string | null }): Part[] {
  const short = (sha: string) => ({ code: sha.slice(0, 7) });
  const tag = r.ref.startsWith("refs/tags/") ? r.ref.slice("refs/tags/".length) : null;
  const label = shortRef(r.ref);
  if (r.newSha === null) return [{ code: label }, " deleted"];
  const target = url ? (tag ? `${url}/tree/${encodeURIComponent(tag)}` : `${url}/commit/${r.newSha}`) : null;
  const head: Part = target ? { text: label, url: target } : { code: label };
  if (r.oldSha === null) return [head, " created at ", short(r.newSha)];
  return [head, ": ", short(r.oldSha), " → ", short(r.newSha)];
}

function refPhrase(r: { ref: string; oldSha: string | null; newSha: string | null }): string {
  const label = shortRef(r.ref);
  const what = r.ref.startsWith("refs/tags/") ? "tag" : r.ref.startsWith("refs/pr/") ? "PR ref" : "branch";
  if (r.newSha === null) return `deleted ${what} ${label}`;
  if (r.oldSha === null) return `new ${what} ${label}`;
  return what === "branch" ? `new commit on ${label}` : `${what} ${label} moved`;
}

function configMessage(p: P): EventMessage {
  const name = repoLabel(p);
  const changed = p.updatedConfig ?? {};
  const lines: Part[][] = Object.entries(changed).slice(0, 10).map(([k, v]) =>
    k === "private" && typeof v === "boolean" ? [`Visibility: ${v ? "private" : "public"}`] : [{ code: k }, `: ${JSON.stringify(v)}`.slice(0, 200)]);
  const title = `Settings changed on ${name}`;
  return { title, url: webUrl(p), lines, color: COLORS.config };
}

function discussionMessage(p: P, action: string): EventMessage {
  const d = p.discussion;
  const name = repoLabel(p);
  if (!d) return { title: `Discussion ${action} on ${name}`, url: webUrl(p), lines: [], color: COLORS.discussion };
  const what = `${d.isPullRequest ? "Pull request" : "Discussion"} #${d.num}`;
  const status = String(d.status);
  const verb = action === "create" ? (status === "draft" ? "opened as draft" : "opened") : action === "delete" ? "deleted"
    : status === "merged" ? "merged" : status === "closed" ? "closed" : status === "open" ? "reopened or edited" : `updated (${status})`;
  const title = `${what} ${verb} on ${name}: ${d.title}`;
  const lines: Part[][] = [];
  if (d.changes?.base) lines.push(["Into ", { code: shortRef(d.changes.base) }]);
  if (d.changes?.mergeCommitId && webUrl(p)) {
    lines.push(["Merge commit ", { text: d.changes.mergeCommitId.slice(0, 7), url: `${webUrl(p)}/commit/${d.changes.mergeCommitId}` }]);
  }
  const color = verb === "merged" ? COLORS.comment : verb === "closed" || verb === "deleted" ? COLORS.removed : COLORS.discussion;
  return { title, url: action === "delete" ? webUrl(p) : d.url?.web ?? webUrl(p), lines, ...excerptOf(p), color };
}

function commentMessage(p: P, action: string): EventMessage {
  const d = p.discussion;
  const name = repoLabel(p);
  const on = d ? `${d.isPullRequest ? "pull request" : "discussion"} #${d.num} (${d.title})` : "a discussion";
  const verb = p.comment?.hidden ? "Comment hidden" : action === "create" ? "New comment" : "Comment edited";
  const title = `${verb} on ${on} in ${name}`;
  return { title, url: p.comment?.url?.web ?? d?.url?.web ?? webUrl(p), lines: [], ...excerptOf(p), color: COLORS.comment };
}

function excerptOf(p: P): { excerpt?: string } {
  const c = p.comment;
  if (!c || c.hidden || typeof c.content !== "string" || !c.content.trim()) return {};
  return { excerpt: shorten(c.content.trim(), EXCERPT) };
}

function visibility(p: P): Part[][] {
  return typeof p.repo?.private === "boolean" ? [[p.repo.private ? "Private" : "Public"]] : [];
}

function repoLabel(p: P): string {
  return String(p.repo?.name ?? "(unknown repo)");
}

function kind(p: P): string {
  return capitalize(String(p.repo?.type ?? "repo"));
}

function webUrl(p: P): string | null {
  const web = p.repo?.url?.web;
  return typeof web === "string" && /^https?:\/\//.test(web) ? web.replace(/\/+$/, "") : null;
}

function shortRef(ref: string): string {
  return ref.replace(/^refs\/(heads|tags)\//, "");
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Cut text to `max` UTF-16 units (characters kept whole), ending with `…` when cut.
 * @example
 * shorten("abcdef", 4); // "abc…"
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = "";
  // Counted in UTF-16 units (what the services' limits count), never splitting a surrogate pair.
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return out + "…";
}
