// A Cloudflare Worker receiving Hub webhooks (tested in workerd: test/integration/runtime-workers.test.ts).
// Bundle and run: see README "Add it to your app" (esbuild, then wrangler with nodejs_compat).
// Secrets: `wrangler secret put WEBHOOK_SECRET`; NOTIFY_URL is a var, RESULTS a KV namespace.
import { discord } from "hubhooks/forward";
import { hubhooksWorker } from "hubhooks/workers";

interface Env {
  WEBHOOK_SECRET: string;
  NOTIFY_URL: string;
  /** A Discord channel's webhook URL (a secret: `wrangler secret put DISCORD_WEBHOOK_URL`); optional here. */
  DISCORD_WEBHOOK_URL?: string;
  RESULTS: { put(key: string, value: string): Promise<void> };
}

export default hubhooksWorker<Env>((app, env) => {
  // POST /webhooks/train: the handler runs in the request and its value is the answer.
  app.addWebhook("train", (payload) => ({ repo: payload.repo.name, ranIn: "worker" }));
  // POST /webhooks/notify: answered 202 at once; the work goes on after the answer (ctx.waitUntil).
  app.addWebhook("notify", { mode: "accepted" }, async (payload, ctx) => {
    const sent = await fetch(env.NOTIFY_URL, { method: "POST", body: JSON.stringify({ repo: payload.repo.name }) });
    await env.RESULTS.put(ctx.deliveryId, `${payload.repo.name} notified: ${sent.status}`);
  });
  // POST /webhooks/discord: new commits and tags posted to a Discord channel (hubhooks/forward), answered with the outcome.
  if (env.DISCORD_WEBHOOK_URL) app.addWebhook("discord").forward(discord(env.DISCORD_WEBHOOK_URL), { on: "repo.content.update" });
});
