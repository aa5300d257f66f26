import { html, type SafeHtml } from "../../internal/html.js";
import { landingContent, type LandingInfo } from "../../server/landing-page.js";
import { withHuggingFaceLogo } from "./hugging-face-logo.js";

/**
 * What a visitor without access sees: the public landing content, how to enable the dashboard
 * (`HUBHOOKS_DASHBOARD_TOKEN`) and, when a token is configured, a form that stores it in a cookie.
 * @example
 * gateBody(app.landingInfo(origin), { tokenConfigured: true, error: "Invalid dashboard token." });
 */
export function gateBody(info: LandingInfo, options: { tokenConfigured: boolean; error?: string }): SafeHtml {
  const form = html`<form method="post" action="dashboard/login" class="token-form">
<label>Dashboard token <input type="password" name="token" autocomplete="current-password" required></label>
<button type="submit" class="primary">Open the dashboard</button></form>`;
  return html`${withHuggingFaceLogo(landingContent(info))}
<section class="notice" id="dashboard-gate"><h2>Dashboard</h2>
${options.error ? html`<p role="alert"><strong>${options.error}</strong></p>` : ""}
${
  options.tokenConfigured
    ? html`<p>The deliveries dashboard is protected by the token in <code>HUBHOOKS_DASHBOARD_TOKEN</code>. Enter it to
open the dashboard (it is kept in an HttpOnly cookie of this browser).</p>${form}`
    : html`<p>The deliveries dashboard is disabled: this server is reachable beyond this machine and no dashboard token is
set. Set the <code>HUBHOOKS_DASHBOARD_TOKEN</code> environment variable (in a Space: a secret in the Space settings),
restart, and come back here to enter it.</p>`
}</section>`;
}
