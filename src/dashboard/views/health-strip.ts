import { html, type SafeHtml } from "../../internal/html.js";
import { HEALTH_OUTCOMES, type EndpointHealth, type HealthOutcome, type HubStateLabel } from "../endpoint-health.js";

const COLORS: Record<HealthOutcome, string> = {
  succeeded: "#16a34a",
  retried: "#d97706",
  dead: "#dc2626",
  skipped: "#9ca3af",
  invalid: "#7c3aed",
};
const BAR = 10;
const HEIGHT = 40;

/** The strip's stylesheet, part of the dashboard's (one inline sheet, one CSP hash). */
export const HEALTH_STRIP_STYLES = `
section.health{margin:1rem 0}section.health h2{margin:.5rem 0}
.hs-row{display:grid;grid-template-columns:minmax(8rem,1fr) minmax(12rem,2fr) 25rem;gap:.25rem 1rem;align-items:center;padding:.4rem 0;border-top:1px solid #eaeef2}
.hs-name{min-width:0;overflow-wrap:anywhere}.hs-chart{width:100%;height:40px;display:block;background:#f6f8fa;border-radius:3px}
.hs-stats{display:grid;grid-template-columns:4.5rem 4.5rem 7.5rem auto;gap:.25rem .75rem;margin:0;font-size:.85rem}.hs-stats div{display:flex;flex-direction:column}
.hs-stats dt{color:#57606a;font-size:.75rem}.hs-stats dd{margin:0;font-variant-numeric:tabular-nums;white-space:nowrap}
.hub{font-size:.75rem;padding:0 .4rem;border-radius:1rem;background:#eee;white-space:nowrap}
.hub-enabled{background:#dcfce7;color:#166534}.hub-suspended,.hub-disabled{background:#fee2e2;color:#991b1b}
.hs-legend{display:flex;flex-wrap:wrap;gap:.25rem .9rem;font-size:.75rem;color:#57606a}.hs-legend svg{vertical-align:-1px}
@media (max-width:800px){.hs-row{grid-template-columns:1fr}}`;

/**
 * The dashboard's health strip: per endpoint, deliveries per hour over the last 24 h as a small inline SVG chart
 * stacked by outcome, the success rate, p50/p95 duration, the last delivery and the state of the Hub webhook(s)
 * pointing at it. Inline SVG with presentation attributes only: nothing to load, nothing the CSP must allow.
 * @example
 * healthStrip(summarizeHealth(rows, ["train"]), { now: Date.now(), hubStates: { train: ["enabled"] } });
 */
export function healthStrip(endpoints: readonly EndpointHealth[], options: { now: number; hubStates: Record<string, HubStateLabel[]> }): SafeHtml {
  if (endpoints.length === 0) return html``;
  return html`<section class="health" aria-label="Endpoint health over the last 24 hours"><h2>Last 24 hours</h2>
${endpoints.map((e) => row(e, options.now, options.hubStates[e.endpoint] ?? ["unknown"]))}
<p class="hs-legend">${HEALTH_OUTCOMES.map((o) => html`<span>${swatch(o)} ${o}</span>`)}<span>one bar per hour, the newest on the right</span></p></section>`;
}

function row(e: EndpointHealth, now: number, hub: HubStateLabel[]): SafeHtml {
  const rate = e.successRate === null ? "–" : `${(Math.floor(e.successRate * 1000) / 10).toFixed(1)} %`;
  const duration = e.p50Ms === null ? "–" : `≤ ${ms(e.p50Ms)} / ≤ ${ms(e.p95Ms!)}`;
  const last = e.lastReceivedAt === null ? "none in 24 h" : ago(now - e.lastReceivedAt);
  return html`<div class="hs-row" data-endpoint="${e.endpoint}">
<div class="hs-name"><code>${e.endpoint}</code> ${hub.map((s) => html`<span class="hub hub-${s}" title="${hubTitle(s)}">Hub: ${hubText(s)}</span> `)}</div>
${chart(e)}
<dl class="hs-stats"><div><dt>deliveries</dt><dd>${e.total}</dd></div><div><dt>success</dt><dd>${rate}</dd></div>
<div><dt>p50 / p95</dt><dd>${duration}</dd></div><div><dt>last</dt><dd title="${e.lastReceivedAt === null ? "" : new Date(e.lastReceivedAt).toISOString()}">${last}</dd></div></dl>
</div>`;
}

function chart(e: EndpointHealth): SafeHtml {
  const max = Math.max(1, ...e.hours.map((h) => HEALTH_OUTCOMES.reduce((sum, o) => sum + h[o], 0)));
  const bars = e.hours.map((hour, i) => {
    let y = HEIGHT;
    const rects = HEALTH_OUTCOMES.filter((o) => hour[o] > 0).map((o) => {
      const height = Math.max(1, (hour[o] / max) * (HEIGHT - 2));
      y -= height;
      return html`<rect x="${i * BAR + 1}" y="${y.toFixed(2)}" width="${BAR - 2}" height="${height.toFixed(2)}" fill="${COLORS[o]}"/>`;
    });
    const counts = HEALTH_OUTCOMES.filter((o) => hour[o] > 0).map((o) => `${hour[o]} ${o}`).join(", ") || "none";
    const when = 23 - i === 0 ? "the last hour" : `${23 - i}–${24 - i} h ago`;
    return html`<g><title>${when}: ${counts}</title><rect x="${i * BAR}" y="0" width="${BAR}" height="${HEIGHT}" fill="transparent"/>${rects}</g>`;
  });
  return html`<svg class="hs-chart" viewBox="0 0 ${24 * BAR} ${HEIGHT}" preserveAspectRatio="none" role="img" aria-label="${e.endpoint}: ${e.total} deliveries in 24 hours">${bars}</svg>`;
}

function swatch(outcome: HealthOutcome): SafeHtml {
  return html`<svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" rx="2" fill="${COLORS[outcome]}"/></svg>`;
}

function hubText(state: HubStateLabel): string {
  return state === "none" ? "no webhook found" : state;
}

function hubTitle(state: HubStateLabel): string {
  if (state === "unknown") return "not known: no HF_TOKEN, or the Hub has not answered the check yet";
  if (state === "none") return "no webhook of the token's user points at this endpoint's URL";
  return `the Hub webhook pointing here is ${state}`;
}

function ms(value: number): string {
  return value >= 1000 ? `${value / 1000} s` : `${value} ms`;
}

function ago(deltaMs: number): string {
  const s = Math.max(0, Math.round(deltaMs / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}
