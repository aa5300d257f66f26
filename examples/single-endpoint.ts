// One endpoint on the implicit server, which starts by itself once this file has run.
// Run: npx hubhooks serve examples/single-endpoint.ts   (or: npm run example:single)
import { webhookEndpoint, type WebhookPayload } from "hubhooks";

webhookEndpoint(async function triggerTraining(payload: WebhookPayload) {
  if (payload.repo.type === "dataset" && payload.event.action === "update") {
    // Start a training job here (e.g. with the Hub's Jobs API).
    return { training: `started for ${payload.repo.name}` };
  }
  return { training: "skipped" };
});
