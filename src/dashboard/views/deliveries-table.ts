import { html, type SafeHtml } from "../../internal/html.js";
import { KNOWN_SCOPES } from "../../payload/index.js";
import { DELIVERY_STATUSES } from "../../store/types.js";
import { queryHref, type DashboardQuery } from "../dashboard-query.js";
import type { RowView } from "../delivery-view.js";

/**
 * What the deliveries section shows.
 * @example
 * const input: DeliveriesTableInput = { query: parseDashboardQuery({}), endpoints: ["train"], rows: [], nextCursor: null };
 */
export interface DeliveriesTableInput {
  query: DashboardQuery;
  /** Endpoint names (as stored with each delivery) for the filter. */
  endpoints: string[];
  rows: RowView[];
  nextCursor: string | null;
}

/**
 * Filters, "Replay all matching", the deliveries table (newest first) and keyset pagination links.
 * The browser script re-renders only the `<tbody>` (same cells, via `textContent`) when a change arrives.
 * @example
 * deliveriesTable({ query, endpoints: ["train"], rows: page.items.map(rowView), nextCursor: page.nextCursor });
 */
export function deliveriesTable(input: DeliveriesTableInput): SafeHtml {
  const q = input.query;
  const endpoints = q.endpoint && !input.endpoints.includes(q.endpoint) ? [...input.endpoints, q.endpoint] : input.endpoints;
  return html`<section class="deliveries"><h2>Deliveries</h2>
<form class="filters" method="get">
<label>Endpoint<select name="endpoint"><option value="">all</option>${endpoints.map((e) => option(e, e, q.endpoint))}</select></label>
<label>Status<select name="status"><option value="">all</option>${DELIVERY_STATUSES.map((s) => option(s, s, q.status))}</select></label>
<label>Scope<input name="scope" list="scopes" value="${q.scope}" placeholder="any" size="16"></label>
<datalist id="scopes">${KNOWN_SCOPES.map((s) => html`<option value="${s}">`)}</datalist>
<label>Repo<input name="repo" type="search" value="${q.repo}" placeholder="name contains…" size="20"></label>
<button type="submit">Filter</button> <a href="?">Clear</a>
</form>
<form method="post" action="dashboard/replay-all" data-async data-confirm="Replay every delivery that matches the current filters (running ones excepted)?">
${(["endpoint", "status", "scope", "repo"] as const).map((k) => html`<input type="hidden" name="${k}" value="${q[k]}">`)}
<button type="submit">Replay all matching</button><output data-output></output></form>
<table id="deliveries"><thead><tr><th>Received (UTC)</th><th>Endpoint</th><th>Event</th><th>Repo</th><th>Status</th><th>Attempts</th><th>Duration</th></tr></thead>
<tbody>${input.rows.length ? input.rows.map((r) => deliveryRow(r, q)) : emptyRow()}</tbody></table>
<nav class="pages">${q.cursor ? html`<a id="newest" href="${queryHref(q, { cursor: "", id: "" })}">« Newest</a>` : ""}
<a id="older" href="${input.nextCursor ? queryHref(q, { cursor: input.nextCursor, id: "" }) : "?"}"${input.nextCursor ? "" : html` hidden`}>Older »</a></nav>
</section>`;
}

/**
 * One table row; the browser script builds the same structure.
 * @example
 * deliveryRow(rowView(delivery), query);
 */
export function deliveryRow(r: RowView, q: DashboardQuery): SafeHtml {
  return html`<tr data-id="${r.id}" data-status="${r.status}">
<td><a href="${queryHref(q, { id: r.id })}"><time datetime="${r.receivedAt}">${r.time}</time></a></td>
<td>${r.endpoint}</td><td>${r.event}</td>
<td>${r.repoUrl ? html`<a href="${r.repoUrl}" target="_blank" rel="noopener noreferrer">${r.repoName}</a>` : r.repoName} <span class="muted small">${r.repoType}</span></td>
<td><span class="status status-${r.status}">${r.status}</span></td><td>${r.attempts}</td><td>${r.duration}</td></tr>`;
}

function emptyRow(): SafeHtml {
  return html`<tr class="empty"><td colspan="7" class="muted">No deliveries match. Send a test event below, or point a Hub webhook at an endpoint.</td></tr>`;
}

function option(value: string, label: string, selected: string): SafeHtml {
  return html`<option value="${value}"${value === selected ? html` selected` : ""}>${label}</option>`;
}
