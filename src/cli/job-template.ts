import { deploySteps, NEW_SPACE_URL } from "./deploy-steps.js";
import { spaceFrontMatter } from "./space-template.js";

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

/** The Job's two commands: the Job that serves as the webhook's template, then the webhook that runs it. */
function jobCommands(name: string): string[] {
  return [
    `hf jobs run --detach --secrets HF_TOKEN hf.co/spaces/<you>/${name} npx hubhooks job app.ts`,
    "npx hubhooks webhooks create --watch dataset:<you>/<dataset> --domain repo --job-id <the job id printed above>",
  ];
}

/**
 * The commands to push the image, create the Job and point a webhook at it (what `init --job` prints).
 * @example
 * io.stdout(jobNextSteps("my-job", "my-job", { installed: true }));
 */
export function jobNextSteps(where: string, name: string, { installed }: { installed: boolean }): string {
  return [
    "Try it:",
    installed ? `  cd ${where}` : `  cd ${where} && npm install`,
    '  WEBHOOK_PAYLOAD="$(cat payload.json)" npx hubhooks job app.ts    # on a sample delivery',
    `Deploy it: the Job runs a Docker Space's image. Create the Space at ${NEW_SPACE_URL} (Docker, blank) named ${name}, then:`,
    ...deploySteps(name).map((line) => `  ${line}`),
    "Create the Job (it runs once now, without a delivery, and fails: that run only serves as the template) and",
    "a webhook that runs a copy of it on every change of the watched repo (HF_TOKEN with write access):",
    ...jobCommands(name).map((line) => `  ${line}`),
    "README.md says the same, and what the Job receives.",
    "",
  ].join("\n");
}

/**
 * The Job project's README: what runs where, and the steps from this folder to a webhook that starts the Job.
 * @example
 * files["README.md"] = jobReadme({ title: "Convert", spaceName: "convert", endpoint: "convert" });
 */
export function jobReadme({ title, spaceName, endpoint }: { title: string; spaceName: string; endpoint: string }): string {
  const fence = "```";
  return `${spaceFrontMatter(title)}
# ${title}

A Hugging Face Job that a [Hub webhook](https://huggingface.co/docs/hub/webhooks)
starts on every change of the repos it watches. The Job runs \`npx hubhooks job app.ts\` in this folder's image:
[hubhooks](https://www.npmjs.com/package/hubhooks) reads the delivery from the Job's environment and runs the
\`${endpoint}\` endpoint of \`app.ts\` once, with its filters (\`ref\`, \`paths\`) and \`ctx.changedFiles()\`. Nothing
listens for HTTP: no webhook secret, no public URL, no persistent storage to set up.

## Try it locally

${fence}sh
npm install                                                     # if \`hubhooks init --no-install\` made this folder
WEBHOOK_PAYLOAD="$(cat payload.json)" npx hubhooks job app.ts    # payload.json: a sample push to main
npm run typecheck                                               # what the types promise, before a deploy
${fence}

It prints the result line and exits 0 (succeeded or skipped) or 1 with the reason, as the Job will.

## Deploy it

1. The Job runs a Docker image built by a Space: create a Space named \`${spaceName}\` at ${NEW_SPACE_URL} with the
   **Docker** SDK (blank template), then push this folder to it (\`package-lock.json\` must be committed: the image
   installs with \`npm ci\`):
   ${fence}sh
${deploySteps(spaceName).map((line) => `   ${line}`).join("\n")}
   ${fence}
2. Create the Job once, with \`HF_TOKEN\` (write access) in your environment. It runs at once without a delivery and
   fails; that run is only the template the webhook copies:
   ${fence}sh
${jobCommands(spaceName).map((line) => `   ${line}`).join("\n")}
   ${fence}

## What the Job receives

\`WEBHOOK_PAYLOAD\` (the delivery, JSON), \`WEBHOOK_ID\` (the same id on the Hub's retries), \`WEBHOOK_REPO_ID\`,
\`WEBHOOK_REPO_TYPE\` and \`WEBHOOK_SECRET\` (when the webhook has one). A Job's disk is not kept between runs: to
skip a \`WEBHOOK_ID\` that already ran, give it a Postgres delivery log (\`DATABASE_URL\` as a Job secret).
`;
}
