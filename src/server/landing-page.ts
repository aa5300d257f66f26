import { html, raw, type SafeHtml } from "../internal/html.js";
import { DOCS_URL, SETTINGS_URL } from "./banner.js";

export interface LandingInfo {
  /** Full URLs of the endpoints, e.g. `https://me-app.hf.space/webhooks/train`. */
  urls: readonly string[];
  inSpace: boolean;
  secretConfigured: boolean;
  /** The Hub webhooks pointing at this server (with `HF_TOKEN`), for the dashboard's health banner. */
  hubWebhooks?: ReadonlyArray<{ id: string; url: string; state: "enabled" | "disabled" | "suspended"; disabled: boolean; extra: Record<string, unknown> }>;
  /** Whether the Hub has answered a lookup of its webhooks (needs a Hub token): else their state is unknown. */
  hubChecked?: boolean;
  /** The delivery log in use (path, or Postgres URL without its password), shown on the dashboard only. */
  deliveryLog?: string;
}

/** The landing page body (also the public part of the dashboard). Every value is escaped. */
export function landingContent(info: LandingInfo): SafeHtml {
  const n = info.urls.length;
  return html`<h1>This is an app to process 🤗 Webhooks</h1>
<p>Webhooks are a foundation for MLOps-related features. They allow you to listen for new changes on specific repos
or to all repos belonging to particular set of users/organizations (not just your repos, but any repo). Check out
this <a href="${DOCS_URL}">guide</a> to get to know more about webhooks on the Hugging Face Hub.</p>
<p>${n} webhook(s) are registered:</p>
<ul class="endpoints">${info.urls.map((url) => html`<li><code>POST ${url}</code></li>`)}</ul>
<p>Secret: ${info.secretConfigured ? "configured (requests must send it in X-Webhook-Secret)." : "not configured: the endpoints are open to everyone. Set WEBHOOK_SECRET."}</p>
${
  info.inSpace
    ? html`<p>Go to <a href="${SETTINGS_URL}">${SETTINGS_URL}</a> to setup your webhooks. Your webhook URL looks like
<code>https://{username}-{repo_name}.hf.space/webhooks/{webhook_name}</code> (the full URLs are listed above).</p>`
    : html`<p>You are running locally. Go to <a href="${SETTINGS_URL}">${SETTINGS_URL}</a> to setup your webhooks,
and use the full URL printed in the logs (a public URL: the Hub cannot reach <code>127.0.0.1</code>; start with
<code>--share</code> or deploy to a Space). Once deployed to a Space, the URL looks like
<code>https://{username}-{repo_name}.hf.space/webhooks/{webhook_name}</code>.</p>`
}`;
}

/** The page shell's stylesheet (inline; its hash is in the dashboard's Content-Security-Policy). */
export const PAGE_STYLES = `body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1f2328}
code{background:#f4f4f5;padding:.1rem .3rem;border-radius:4px}a{color:#2563eb}`;

/** A complete, self-contained HTML page (no external assets). */
export function page(title: string, body: SafeHtml, head: SafeHtml = html``): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${raw(PAGE_STYLES)}</style>${head}</head>
<body>${body}</body></html>`.value;
}
