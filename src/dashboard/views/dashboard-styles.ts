import { HEALTH_STRIP_STYLES } from "./health-strip.js";

/**
 * The dashboard's stylesheet (inline: no external assets, works offline). Below 600 px each delivery row is a small
 * card (status and time first, then event and repo, then endpoint, attempts, duration) instead of a table that
 * scrolls sideways and hides the status.
 * @example
 * html`<style>${raw(DASHBOARD_STYLES)}</style>`;
 */
export const DASHBOARD_STYLES = `
header.dash{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:baseline;justify-content:space-between}
header.dash h1{margin:0;font-size:1.5rem}
.hf-logo{vertical-align:-.15em}
h2{font-size:1.2rem}
.setup details h1{font-size:1.2rem;margin:.75rem 0 .5rem}.setup details h2{font-size:1.05rem}
.endpoints code{overflow-wrap:anywhere;word-break:break-all}
.endpoints td:last-child{width:1%}
section.deliveries,section.detail{overflow-x:auto}
#deliveries td:first-child{white-space:nowrap}
select,textarea,input{max-width:100%}
.test-event .row label{display:flex;gap:.4rem;align-items:center;max-width:100%;min-width:0}.test-event .row select{min-width:0;flex:1}
@media (max-width:600px){body{margin:.5rem auto;padding:0 .5rem}th,td{padding:.3rem}header.dash h1{font-size:1.25rem}}
@media (max-width:600px){#deliveries thead{display:none}#deliveries tr{display:flex;flex-wrap:wrap;align-items:baseline;gap:.1rem .6rem;padding:.45rem .2rem;border-bottom:1px solid #e5e7eb}#deliveries td{display:block;border:0;padding:0;min-width:0;overflow-wrap:anywhere}#deliveries td:nth-child(5){order:-1}#deliveries td:nth-child(3),#deliveries td:nth-child(4){flex-basis:100%}#deliveries td:nth-child(6)::before{content:"attempts ";color:#57606a}#deliveries td:nth-child(2),#deliveries td:nth-child(6),#deliveries td:nth-child(7){font-size:.8rem;color:#57606a}#deliveries tr.empty td{flex-basis:100%}}
.muted{color:#57606a}.small{font-size:.85rem}
#live{font-size:.85rem;padding:.1rem .5rem;border-radius:1rem;background:#eee}
#live[data-state=on]{background:#dcfce7;color:#166534}#live[data-state=off]{background:#fee2e2;color:#991b1b}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e5e7eb;vertical-align:top}
th{background:#f9fafb;font-weight:600}
.endpoints td:first-child{width:1%;white-space:nowrap}
form.inline{display:inline}
.status{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-size:.8rem;font-weight:600;background:#e5e7eb}
.status-succeeded{background:#dcfce7;color:#166534}.status-retrying{background:#fef3c7;color:#92400e}
.status-dead{background:#fee2e2;color:#991b1b}.status-running{background:#dbeafe;color:#1e40af}
.banner{background:#fee2e2;color:#7f1d1d;border:1px solid #fca5a5;border-radius:.4rem;padding:.6rem .8rem}
.status-queued{background:#f3f4f6;color:#374151}.status-skipped{background:#f3f4f6;color:#6b7280}.status-invalid{background:#fae8ff;color:#86198f}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:1rem 0}
form.filters label{display:flex;flex-direction:column;font-size:.8rem;color:#57606a}
input,select,button,textarea{font:inherit;font-size:.9rem}
button{cursor:pointer;padding:.2rem .7rem;border:1px solid #d0d7de;border-radius:6px;background:#f6f8fa}
button.primary{background:#2563eb;border-color:#2563eb;color:#fff}
button:disabled{opacity:.5;cursor:default}
nav.pages{display:flex;gap:1rem;margin:.75rem 0}
pre{background:#f6f8fa;padding:.75rem;border-radius:6px;overflow:auto;max-height:28rem;font-size:.8rem}
section{margin:1.5rem 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
dl.facts dt{color:#57606a}dl.facts dd{margin:0}
textarea{width:100%;min-height:14rem;font-family:ui-monospace,monospace;font-size:.8rem}
.test-event .row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-bottom:.5rem}
output{display:block;margin-top:.4rem;font-size:.9rem}
.notice{background:#fffbeb;border:1px solid #fde68a;padding:.75rem 1rem;border-radius:6px}
` + HEALTH_STRIP_STYLES;
