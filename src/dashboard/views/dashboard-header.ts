import { html, type SafeHtml } from "../../internal/html.js";
import { landingContent, type LandingInfo } from "../../server/landing-page.js";
import { isLocalUrl } from "../../server/banner.js";
import { huggingFaceLogo, withHuggingFaceLogo } from "./hugging-face-logo.js";

/**
 * The top of the dashboard: live indicator, every endpoint's full URL with a copy button, whether a secret is
 * configured, Space or local, and the landing page's Hub setup instructions.
 * @example
 * dashboardHeader(app.landingInfo(origin), { signOut: true });
 */
export function dashboardHeader(info: LandingInfo, options: { signOut: boolean }): SafeHtml {
  const secret = info.secretConfigured
    ? html`<strong>configured</strong> (the Hub must send it in <code>X-Webhook-Secret</code>)`
    : html`<strong>not configured</strong>: the endpoints are open to everyone (set <code>WEBHOOK_SECRET</code>)`;
  // A loopback URL pasted in the Hub's settings never receives anything: say so where the URL is shown.
  const local = info.urls.length > 0 && info.urls.every(isLocalUrl);
  return html`<header class="dash"><h1>${huggingFaceLogo()} Webhooks dashboard</h1>
<span><span id="live" data-state="">connecting…</span>${options.signOut ? signOutForm() : ""}</span></header>
${(info.hubWebhooks ?? []).filter((w) => w.disabled).map(hubWebhookBanner)}
<section class="setup">
${
  info.urls.length
    ? html`<table class="endpoints"><thead><tr><th>Method</th><th>${local ? "Local webhook URL (the Hub cannot reach it)" : "Webhook URL (paste it in the Hub's webhook settings)"}</th><th></th></tr></thead>
<tbody>${info.urls.map((url) => html`<tr><td>POST</td><td><code>${url}</code></td><td><button type="button" data-copy="${url}">Copy</button></td></tr>`)}</tbody></table>${
        local ? html`<p class="small" id="local-urls">These URLs work on this machine only. For a URL the Hub can call, run <code>hubhooks dev app.ts</code> or <code>hubhooks serve app.ts --share</code>, or deploy to a Space.</p>` : ""
      }`
    : html`<p>No webhook endpoint is registered yet (<code>app.addWebhook("name", handler)</code>).</p>`
}
<p class="small">Secret: ${secret} · Running ${info.inSpace ? "in a Hugging Face Space" : "locally"}.${
    info.deliveryLog ? html` Delivery log: <code id="delivery-log">${info.deliveryLog}</code>.` : ""
  }</p>
<details><summary>How to set up a webhook on the Hub</summary>${withHuggingFaceLogo(landingContent(info))}</details>
</section>`;
}

function signOutForm(): SafeHtml {
  return html` <form method="post" action="dashboard/logout" class="inline"><button type="submit">Sign out</button></form>`;
}

/**
 * A Hub webhook that points here and sends nothing: suspended by the Hub after failed deliveries (fix the cause
 * first: re-enabled as is, it is suspended again), or disabled by its owner.
 */
function hubWebhookBanner(w: { id: string; url: string; state?: string; extra: Record<string, unknown> }): SafeHtml {
  const extra = Object.keys(w.extra).length > 0 ? html` The Hub says: <code>${JSON.stringify(w.extra)}</code>.` : "";
  const fix = html`<code>hubhooks webhooks enable ${w.id}</code> (or enable it at https://huggingface.co/settings/webhooks)`;
  if (w.state === "suspended") {
    return html`<p class="banner" role="alert" data-state="suspended"><strong>The Hub suspended webhook <code>${w.id}</code></strong>
(→ <code>${w.url}</code>) after its deliveries kept failing: it sends nothing until it is enabled again.${extra} Fix the cause
(the failed deliveries below, the Hub's Activity tab), then run ${fix}.</p>`;
  }
  return html`<p class="banner" role="alert" data-state="disabled"><strong>The Hub has disabled webhook <code>${w.id}</code></strong> (→
<code>${w.url}</code>): it sends no deliveries until it is enabled again.${extra} If that was not on purpose, run ${fix}.</p>`;
}
