/**
 * What `hubhooks init --job` changes in the Space scaffold: an `app.ts` whose endpoint reacts to data changes on
 * `main` (the Space's image is what the Job runs), and the commands that create the Job and its webhook.
 * @example
 * files["app.ts"] = jobApp("convert");
 */
export function jobApp(endpoint: string): string {
  return `// Runs in a Hugging Face Job started by a Hub webhook: \`npx hubhooks job app.ts\` (the same module \`serve\` runs).
// Try it locally: WEBHOOK_PAYLOAD="$(cat payload.json)" npx hubhooks job app.ts
import { webhookEndpoint } from "hubhooks";

webhookEndpoint(${JSON.stringify(endpoint)}).on(
  "repo.content.update",
  { ref: "refs/heads/main", paths: ["data/**", "*.parquet", "*.csv"] },
  async (payload, ctx) => {
    const files = await ctx.changedFiles(); // from the Hub's compare endpoint (HF_TOKEN for a private repo)
    ctx.logger.info({ repo: payload.repo.name, files: files.map((f) => f.path) }, "data changed on main");
    // Do the work here: convert, retrain, evaluate... then push the result with the Hub API (ctx.hub).
    return { repo: payload.repo.name, changed: files.length };
  },
);
`;
}

/**
 * A sample delivery to try the Job with: a push that creates `main` (no old sha, so no compare call: it runs offline).
 * @example
 * files["payload.json"] = samplePayload(getFixture("repo.content.update"));
 */
export function samplePayload(fixture: { repo: { headSha?: string | null } }): string {
  const updatedRefs = [{ ref: "refs/heads/main", oldSha: null, newSha: fixture.repo.headSha ?? null }];
  return JSON.stringify({ ...fixture, updatedRefs }, null, 2) + "\n";
}

/** The commands to push the image, create the Job and point a webhook at it. */
export function jobNextSteps(where: string, name: string): string {
  return [
    "Next:",
    `  cd ${where} && npm install`,
    '  WEBHOOK_PAYLOAD="$(cat payload.json)" npx hubhooks job app.ts    # try it on a sample delivery',
    "Push it as a Docker Space: the Job runs the Space's image.",
    `  git init && git remote add space https://huggingface.co/spaces/<you>/${name}`,
    "  git add -A && git commit -m init && git push space main",
    "Create the Job (it runs once now, without a delivery, and fails: that run only serves as the template) and",
    "a webhook that runs a copy of it on every change of the watched repo (HF_TOKEN with write access):",
    `  hf jobs run --detach --secrets HF_TOKEN hf.co/spaces/<you>/${name} npx hubhooks job app.ts`,
    "  npx hubhooks webhooks create --watch dataset:<you>/<dataset> --domain repo --job-id <the job id printed above>",
    "",
  ].join("\n");
}
