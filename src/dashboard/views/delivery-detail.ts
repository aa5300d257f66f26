import { html, type SafeHtml } from "../../internal/html.js";
import { queryHref, type DashboardQuery } from "../dashboard-query.js";
import type { AttemptView, DetailView } from "../delivery-view.js";

/**
 * The detail view of one delivery: facts, Replay, every attempt (outcome, duration, error and stack), the
 * handler's result, the pretty-printed payload and the stored request headers (secret never stored).
 * Elements the live update rewrites carry `data-field`.
 * @example
 * deliveryDetail(detailView(delivery, attempts), query);
 */
export function deliveryDetail(view: DetailView | null, q: DashboardQuery): SafeHtml {
  const back = html`<p><a href="${queryHref(q, { id: "" })}">← All deliveries</a></p>`;
  if (!view) return html`<section id="detail">${back}<p>No delivery <code>${q.id}</code> (it may have been pruned).</p></section>`;
  return html`<section id="detail" data-id="${view.id}">${back}
<h2>Delivery <code>${view.id}</code></h2>
<dl class="facts">
<dt>Status</dt><dd><span class="status status-${view.status}" data-field="status">${view.status}</span></dd>
<dt>Endpoint</dt><dd>${view.endpoint}</dd>
<dt>Event</dt><dd>${view.event}</dd>
<dt>Repo</dt><dd>${view.repoUrl ? html`<a href="${view.repoUrl}" target="_blank" rel="noopener noreferrer">${view.repoName}</a>` : view.repoName || "—"} <span class="muted small">${view.repoType}</span></dd>
<dt>Received</dt><dd><time datetime="${view.receivedAt}">${view.time}</time></dd>
<dt>Finished</dt><dd data-field="finishedAt">${view.finishedAt ?? "—"}</dd>
<dt>Attempts</dt><dd data-field="attempts">${view.attempts}</dd>
<dt>Duration</dt><dd data-field="duration">${view.duration}</dd>
<dt>Webhook-Id</dt><dd>${view.webhookId ?? "—"}</dd>
<dt>Last error</dt><dd data-field="error">${view.error ?? "—"}</dd>
${view.completedSteps.length ? html`<dt>Steps done</dt><dd>${view.completedSteps.map((s) => html`<code>${s}</code> `)}<span class="muted small">(not run again by a retry)</span></dd>` : ""}
</dl>
<form method="post" action="dashboard/replay" data-async><input type="hidden" name="id" value="${view.id}">
<button type="submit" class="primary" data-field="replay"${view.replayable ? "" : html` disabled`}>Replay</button><output data-output></output></form>
<h3>Attempts</h3>
<table class="attempts"><thead><tr><th>#</th><th>Outcome</th><th>Started (UTC)</th><th>Duration</th><th>Error</th></tr></thead>
<tbody id="attempts">${view.attemptList.length ? view.attemptList.map(attemptRow) : noAttempts()}</tbody></table>
<h3>Handler result</h3><pre data-field="result">${view.result ?? "(none yet)"}</pre>
<h3>Payload</h3><pre id="payload-view">${view.payload}</pre>
<h3>Request headers</h3>
<table class="headers"><tbody>${view.headers.map(([k, v]) => html`<tr><td><code>${k}</code></td><td>${v}</td></tr>`)}</tbody></table>
<p class="small muted">The secret header, credentials and any <code>?secret=</code> are removed before a delivery is stored.</p>
</section>`;
}

/**
 * One attempt row; the browser script builds the same structure.
 * @example
 * attemptRow({ attempt: 1, outcome: "failed", startedAt: "…", duration: "12 ms", error: "boom", stack: null });
 */
export function attemptRow(a: AttemptView): SafeHtml {
  return html`<tr><td>${a.attempt}</td><td><span class="status status-${a.outcome}">${a.outcome}</span></td><td>${a.startedAt}</td><td>${a.duration}</td>
<td>${a.error ?? ""}${a.stack ? html`<details><summary>stack</summary><pre>${a.stack}</pre></details>` : ""}</td></tr>`;
}

function noAttempts(): SafeHtml {
  return html`<tr class="empty"><td colspan="5" class="muted">No attempt yet.</td></tr>`;
}
