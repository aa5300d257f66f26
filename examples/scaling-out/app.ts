// One replica of a scaled-out hubhooks: every replica runs this same file against one Postgres database.
// HUBHOOKS_DATABASE (or DATABASE_URL) is the connection string; WEBHOOK_SECRET the Hub webhook's secret.
import { webhookEndpoint } from "hubhooks";

webhookEndpoint("train", { mode: "accepted", orderingKey: "repo" }, async (payload, ctx) => {
  ctx.logger.info({ repo: payload.repo.name, replica: process.env.HOSTNAME }, "training requested");
});
