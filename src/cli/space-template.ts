import { deploySteps, NEW_SPACE_URL } from "./deploy-steps.js";
import { packageManifest } from "./package-version.js";

/** What `hubhooks init` fills in. */
export interface SpaceTemplateInput {
  /** Space title (README front matter). */
  title: string;
  /** The Space's name on the Hub, as the deploy commands say it (the directory's name). */
  spaceName: string;
  /** npm package name of the app. */
  packageName: string;
  /** Version range of hubhooks to depend on, e.g. `^0.1.0`. */
  hubhooksRange: string;
  /** Name of the one endpoint in app.ts. */
  endpoint: string;
}

/**
 * The files of a ready-to-push Docker Space running hubhooks on Node 24, by relative path.
 * @example
 * const files = spaceTemplate({ title: "My hooks", spaceName: "my-hooks", packageName: "my-hooks", hubhooksRange: "^0.1.0", endpoint: "hello" });
 * files["Dockerfile"].startsWith("FROM node:24-slim"); // true
 */
export function spaceTemplate(input: SpaceTemplateInput): Record<string, string> {
  return {
    "README.md": readme(input),
    Dockerfile: DOCKERFILE,
    "package.json": JSON.stringify(packageJson(input), null, 2) + "\n",
    "app.ts": app(input.endpoint),
    "tsconfig.json": TSCONFIG,
    ".gitignore": "node_modules/\n.hubhooks/\n",
    ".dockerignore": "node_modules/\n.hubhooks/\n.git/\n",
  };
}

const DOCKERFILE = `FROM node:24-slim

# Spaces run the container as user 1000, the image's \`node\` user: give it the app directory.
RUN mkdir -p /home/node/app && chown node:node /home/node/app
USER node
WORKDIR /home/node/app

# The lockfile pins every dependency: \`hubhooks init\` ran \`npm install\`, which wrote package-lock.json; commit it.
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --omit=dev

COPY --chown=node:node . .

# A Space routes traffic to app_port (README.md); listen on every interface so it (or docker run -p) gets in.
ENV PORT=7860 HUBHOOKS_HOST=0.0.0.0
EXPOSE 7860

# Ready = the delivery log is open and writable and the workers run (GET /readyz); node:24-slim has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \\
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 7860) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Node itself is PID 1 (no npx or shell in front), so \`docker stop\`'s SIGTERM reaches hubhooks, which stops
# taking deliveries, lets running handlers finish (HUBHOOKS_SHUTDOWN_GRACE_MS, default 10 s) and exits.
# Docker's own wait before SIGKILL is 10 s too: give \`docker stop -t\` more than the grace.
CMD ["node", "node_modules/hubhooks/bin/hubhooks.js", "serve", "app.ts"]
`;

// `npm run typecheck` checks what running the file cannot: types are stripped, not checked, when hubhooks runs
// app.ts. erasableSyntaxOnly and verbatimModuleSyntax refuse what type stripping cannot run (an enum, a type
// imported without `import type`); allowImportingTsExtensions lets `import "./helper.ts"` through, as Node does.
const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: "es2023",
      module: "nodenext",
      moduleResolution: "nodenext",
      types: ["node"],
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      erasableSyntaxOnly: true,
      verbatimModuleSyntax: true,
      skipLibCheck: true,
    },
    exclude: ["node_modules"],
  },
  null,
  2,
)}\n`;

// engines and the TypeScript versions are this package's own: the scaffold runs where hubhooks runs and is checked
// by the compiler hubhooks' types are tested with.
function packageJson(input: SpaceTemplateInput) {
  const manifest = packageManifest();
  return {
    name: input.packageName,
    private: true,
    type: "module",
    scripts: { start: "hubhooks serve app.ts", typecheck: "tsc" },
    engines: { node: manifest.engines.node },
    dependencies: { hubhooks: input.hubhooksRange },
    devDependencies: { "@types/node": manifest.devDependencies["@types/node"], typescript: manifest.devDependencies.typescript },
  };
}

function app(endpoint: string): string {
  return `// One webhook endpoint: POST /webhooks/${endpoint}. Run locally with \`npx hubhooks serve app.ts\`.
import { webhookEndpoint } from "hubhooks";

webhookEndpoint(${JSON.stringify(endpoint)}, async (payload) => {
  const event = \`\${payload.event.scope}.\${payload.event.action}\`;
  console.log(\`\${event} on \${payload.repo.type} \${payload.repo.name}\`);
  // Do the work here: start a job, comment on the discussion (HubClient with HF_TOKEN), sync a dataset...
  return { received: event, repo: payload.repo.name };
});
`;
}

/**
 * The Space's README front matter: a Docker Space on hubhooks' port.
 * @example
 * spaceFrontMatter("My hooks").startsWith("---\ntitle:"); // true
 */
export function spaceFrontMatter(title: string): string {
  return `---
title: ${JSON.stringify(title)}
emoji: 🪝
colorFrom: yellow
colorTo: indigo
sdk: docker
app_port: 7860
pinned: false
short_description: Receives Hugging Face Hub webhooks with hubhooks
---
`;
}

function readme({ title, spaceName, endpoint }: SpaceTemplateInput): string {
  return `${spaceFrontMatter(title)}
# ${title}

Receives [Hugging Face Hub webhooks](https://huggingface.co/docs/hub/webhooks) at \`/webhooks/${endpoint}\`
(see \`app.ts\`), with [hubhooks](https://www.npmjs.com/package/hubhooks): every delivery is recorded, retried on
failure and can be replayed.

## Run it locally

\`\`\`sh
npm install                                                  # if \`hubhooks init --no-install\` made this folder
npx hubhooks serve app.ts                                    # http://127.0.0.1:7860 (the Hub cannot reach it)
npx hubhooks trigger repo.content.update --endpoint ${endpoint}   # in another terminal
npm run typecheck                                            # what the types promise, before a deploy
\`\`\`

\`npx hubhooks dev app.ts\` gives it a public URL the Hub can call, and reloads on save.

## Deploy it as a Space

1. Create a Space named \`${spaceName}\` at ${NEW_SPACE_URL} with the **Docker** SDK (blank template), then push
   this folder to it; \`package-lock.json\` must be committed (the image installs with \`npm ci\`):
   \`\`\`sh
${deploySteps(spaceName).map((line) => `   ${line}`).join("\n")}
   \`\`\`
   git asks for your Hugging Face user name and a token with write access as the password.
2. In the Space's **Settings → Variables and secrets**, add these **secrets**:
   - \`WEBHOOK_SECRET\`: a long random string; the Hub sends it with every delivery and the app rejects calls without it.
   - \`HF_TOKEN\`: only if your handlers call the Hub (comment on a discussion, open a pull request...).
   - \`HUBHOOKS_DASHBOARD_TOKEN\`: protects the delivery log (\`/api/deliveries\`); without it a Space serves no delivery log at all.
3. In **Settings → Persistent storage**, enable storage: the delivery log then lives at \`/data/hubhooks.db\`.
   Without it, the Space's disk is wiped on every restart, with the log and any delivery waiting for a retry.
4. Create the webhook at https://huggingface.co/settings/webhooks with the URL
   \`https://<you>-${spaceName}.hf.space/webhooks/${endpoint}\` and the same secret, or from a terminal:
   \`\`\`sh
   HF_TOKEN=hf_... npx hubhooks webhooks create --watch model:<you>/<model> \\
     --url https://<you>-${spaceName}.hf.space/webhooks/${endpoint} --secret "$WEBHOOK_SECRET"
   \`\`\`
5. Look at what arrived:
   \`\`\`sh
   HUBHOOKS_URL=https://<you>-${spaceName}.hf.space HUBHOOKS_DASHBOARD_TOKEN=... npx hubhooks deliveries ls
   \`\`\`

A free Space sleeps after 48 hours without traffic; the Hub waits about 30 seconds for an answer, so a delivery
that arrives while the Space starts again may fail (the Hub's Activity tab lets you replay it).
`;
}
