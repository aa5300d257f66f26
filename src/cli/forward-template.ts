import { CONFIG_FILE } from "./forward.js";

/**
 * `hubhooks init --forward`: turn the Space template into a no-code forwarder. app.ts goes (the container runs
 * `hubhooks forward`), `hubhooks.forward.json` names one Discord destination by its variable, and the README gains
 * the secrets to set. Works on the files the Space template made, so its other changes carry over.
 * @example
 * const files = forwardTemplate(spaceTemplate(input), "forward");
 * Object.keys(files).includes("hubhooks.forward.json"); // true
 */
export function forwardTemplate(files: Record<string, string>, endpoint: string): Record<string, string> {
  const { "app.ts": _app, ...rest } = files;
  const pkg = JSON.parse(rest["package.json"] ?? "{}") as { scripts?: Record<string, string> };
  pkg.scripts = { ...pkg.scripts, start: "hubhooks forward" };
  return {
    ...rest,
    Dockerfile: (rest.Dockerfile ?? "").replace(/^CMD \[.*\]$/m, 'CMD ["node", "node_modules/hubhooks/bin/hubhooks.js", "forward"]'),
    "package.json": JSON.stringify(pkg, null, 2) + "\n",
    [CONFIG_FILE]: JSON.stringify(config(endpoint), null, 2) + "\n",
    "README.md": (rest["README.md"] ?? "").replaceAll("serve app.ts", "forward").replace("(see \`app.ts\`)", `(see \`${CONFIG_FILE}\`)`) + readmeSection(endpoint),
  };
}

function config(endpoint: string) {
  return {
    endpoint,
    destinations: [
      { to: "discord", url: "${DISCORD_WEBHOOK_URL}", on: ["repo.content.update", "discussion", "discussion.comment"] },
    ],
  };
}

function readmeSection(endpoint: string): string {
  return `
## Forwarding

This Space has no code: it runs \`hubhooks forward\`, which posts each delivery to the destinations of
\`${CONFIG_FILE}\` (\`discord\`, \`slack\` or \`http\`, each with its own \`on\`, \`repo\`, \`ref\` filter). A destination
that fails is retried with backoff and never makes another one send twice; the dashboard shows each one's outcome.

1. In Discord: **Server Settings → Integrations → Webhooks → New Webhook**, then **Copy Webhook URL**.
2. Add it to the Space as the **secret** \`DISCORD_WEBHOOK_URL\` (the URL is a credential: never commit it).
3. Point a Hub webhook at \`https://<you>-<space>.hf.space/webhooks/${endpoint}\` (step 4 above).

Try it locally: \`DISCORD_WEBHOOK_URL=… npx hubhooks forward\`, then
\`npx hubhooks trigger repo.content.update --endpoint ${endpoint}\` in another terminal.
`;
}
