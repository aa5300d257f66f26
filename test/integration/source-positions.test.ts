import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, REPO_ROOT, runCli, startCli } from "../helpers/cli.js";

// The throw is on line 13 of app.ts, after interfaces and type annotations that a shifting transform would drop.
const APP = `import { webhookEndpoint, type WebhookPayload } from "hubhooks";
import { shout } from "./tone.js";

interface Answer {
  message: string;
}

type Repo = WebhookPayload["repo"];

webhookEndpoint("positions", { retry: { maxAttempts: 1 } }, async (payload: WebhookPayload): Promise<Answer> => {
  const repo: Repo = payload.repo;
  if (repo.name === "me/enum") return { message: shout(repo.name) };
  throw new Error(\`no model card in \${repo.name}\`);
});
`;
// An enum has no type-free spelling: this file is transformed, and its stack still names line 5 (source map).
const TONE = `export enum Tone { Loud = "loud" }

export function shout(name: string, tone: Tone = Tone.Loud): string {
  const label: string = tone;
  throw new Error(\`\${label}: \${name}\`);
}
`;

describe("source positions of a TypeScript app (hubhooks serve)", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "hubhooks-positions-"));
    await writeFile(join(dir, "app.ts"), APP);
    await writeFile(join(dir, "tone.ts"), TONE);
    await writeFile(join(dir, "broken.ts"), "import type { WebhookPayload } from \"hubhooks\";\n\ninterface A {\n  b: string;\n}\nexport const x: number = ;\n");
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    await mkdir(join(dir, "node_modules"));
    await symlink(REPO_ROOT, join(dir, "node_modules", "hubhooks"), "dir");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("a handler's throw is reported at its line in the API and the dashboard", async () => {
    const server = await startCli(process.execPath, [BIN, "serve", "app.ts", "--port", "0", "--database", ":memory:"], { cwd: dir });
    try {
      const stackOf = async (repo: string) => {
        const sent = await fetch(`${server.url}/webhooks/positions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ event: { action: "create", scope: "repo" }, repo: { type: "model", name: repo, id: "1" } }),
        });
        const { deliveryId } = (await sent.json()) as { deliveryId: string };
        const detail = (await (await fetch(`${server.url}/api/deliveries/${deliveryId}`)).json()) as {
          attempts: { error: string; stack: string }[];
        };
        const page = await (await fetch(`${server.url}/?id=${deliveryId}`)).text();
        return { ...detail.attempts[0]!, id: deliveryId, page };
      };
      const plain = await stackOf("me/plain");
      expect(plain.error).toBe("no model card in me/plain");
      expect(plain.stack.split("\n")[1]).toMatch(new RegExp(`app\\.ts:13:9\\)?$`));
      expect(plain.page).toMatch(/<pre>Error: no model card in me\/plain\n +at [^\n]*app\.ts:13:9/);
      const transformed = await stackOf("me/enum");
      expect(transformed.error).toBe("loud: me/enum");
      expect(transformed.stack.split("\n")[1]).toMatch(/tone\.ts:5:\d+\)?$/);
      expect(transformed.stack).toMatch(/app\.ts:12:\d+\)?$/m);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("a syntax error names file:line:column", async () => {
    const { code, stderr } = await runCli(["serve", "broken.ts", "--port", "0"], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toBe("hubhooks: Cannot compile broken.ts:6:26: Expression expected\n");
  });
});
