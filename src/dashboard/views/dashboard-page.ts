import { html, raw, type SafeHtml } from "../../internal/html.js";
import { page } from "../../server/landing-page.js";
import { DASHBOARD_STYLES } from "./dashboard-styles.js";


/**
 * A complete dashboard HTML page: the landing page's shell plus the dashboard's stylesheet and script (served by
 * the dashboard at the relative URL `dashboard/app.js`, so the page works under any path prefix).
 * @example
 * c.html(dashboardPage("🤗 Webhooks dashboard", body));
 */
export function dashboardPage(title: string, body: SafeHtml, options: { script?: boolean; base?: string } = {}): string {
  const head = html`${options.base ? html`<base href="${options.base}">` : ""}<style>${raw(DASHBOARD_STYLES)}</style>${options.script === false ? "" : html`<script src="dashboard/app.js" defer></script>`}`;
  return page(title, body, head);
}
