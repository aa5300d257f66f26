// `hubhooks/metrics`: the Prometheus metrics class (prom-client loads with this entry).
export { HubhooksMetrics, type InvalidReason } from "./metrics/metrics.js";
