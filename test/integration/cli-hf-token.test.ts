// The Hugging Face token the way the `hf` CLI finds it, through the built CLI in a real subprocess against a local
// stand-in for the Hub that speaks its webhook API (test/helpers/fake-hub.ts): HF_TOKEN, then the file
// `hf auth login` writes (HF_TOKEN_PATH, $HF_HOME/token, $XDG_CACHE_HOME/huggingface/token, ~/.cache/huggingface/token).
// Offline, the error names the host it could not reach.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HubClient } from "../../src/hub/hub-client.js";
import { runCli } from "../helpers/cli.js";
import { startFakeHub, type FakeHub } from "../helpers/fake-hub.js";

const TOKEN = "hf_saved_by_hf_auth_login";
let hub: FakeHub;
let dir = "";

async function saveToken(path: string, token = TOKEN): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(join(path), `${token}\n`);
}

beforeAll(async () => {
  hub = await startFakeHub({ token: TOKEN, webhooks: [{ id: "65aaaaaaaaaaaaaaaaaaaaaa", url: "https://me-bot.hf.space/webhooks/ci", watched: [{ type: "model", name: "me/m" }] }] });
  dir = await mkdtemp(join(tmpdir(), "hubhooks-hf-token-"));
});
beforeEach(() => void (hub.requests.length = 0));
afterAll(async () => {
  await hub.close();
  await rm(dir, { recursive: true, force: true });
});

describe("hubhooks webhooks ls finds the token hf auth login saved", () => {
  const ls = (env: Record<string, string>) => runCli(["webhooks", "ls"], { cwd: dir, env: { HOME: join(dir, "home-empty"), HF_ENDPOINT: hub.url, ...env } });

  it("in $HF_HOME/token", async () => {
    await saveToken(join(dir, "hf-home", "token"));
    const { code, stdout, stderr } = await ls({ HF_HOME: join(dir, "hf-home") });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain("65aaaaaaaaaaaaaaaaaaaaaa");
    expect(sentToken()).toEqual([`Bearer ${TOKEN}`]);
  });

  it("in HF_TOKEN_PATH, which wins over HF_HOME; HF_TOKEN wins over both", async () => {
    await saveToken(join(dir, "elsewhere", "my-token"));
    await saveToken(join(dir, "stale-home", "token"), "hf_stale");
    expect((await ls({ HF_TOKEN_PATH: join(dir, "elsewhere", "my-token"), HF_HOME: join(dir, "stale-home") })).code).toBe(0);
    expect(sentToken()).toEqual([`Bearer ${TOKEN}`]);
    hub.requests.length = 0;
    const env = await ls({ HF_TOKEN: "hf_from_env", HF_TOKEN_PATH: join(dir, "elsewhere", "my-token") });
    expect(env.code).toBe(1);
    expect(sentToken()).toEqual(["Bearer hf_from_env"]);
  });

  it("in ~/.cache/huggingface/token (HOME) and under XDG_CACHE_HOME", async () => {
    await saveToken(join(dir, "home", ".cache", "huggingface", "token"));
    expect((await ls({ HOME: join(dir, "home") })).code).toBe(0);
    await saveToken(join(dir, "xdg", "huggingface", "token"));
    expect((await ls({ XDG_CACHE_HOME: join(dir, "xdg") })).code).toBe(0);
    expect(sentToken()).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
  });

  it("no token anywhere: one line saying how to get one and where it would be", async () => {
    const { code, stdout, stderr } = await ls({ HF_HOME: join(dir, "never-logged-in") });
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toBe(
      `hubhooks: No Hugging Face token: run \`hf auth login\` (it saves one in ${join(dir, "never-logged-in", "token")}) or set HF_TOKEN to a token allowed to manage your webhooks (https://huggingface.co/settings/tokens)\n`,
    );
    expect(hub.requests).toEqual([]);
  });

  it("offline: the error names the host it could not reach", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const { code, stderr } = await ls({ HF_TOKEN: TOKEN, HF_ENDPOINT: `http://127.0.0.1:${port}` });
    expect(code).toBe(1);
    expect(stderr).toBe(
      `hubhooks: Hub API GET /api/settings/webhooks failed after 4 attempt(s): network error reaching 127.0.0.1:${port} (fetch failed: connect ECONNREFUSED 127.0.0.1:${port})\n`,
    );
  }, 20_000);
});

describe("HubClient.fromEnv()", () => {
  it("reads the same token file, and HF_TOKEN first", async () => {
    await saveToken(join(dir, "from-env", "token"));
    expect(HubClient.fromEnv({ HF_HOME: join(dir, "from-env") }).hasToken).toBe(true);
    expect(HubClient.fromEnv({ HF_HOME: join(dir, "nowhere"), HOME: join(dir, "nowhere") }).hasToken).toBe(false);
    const client = HubClient.fromEnv({ HF_HOME: join(dir, "from-env"), HF_ENDPOINT: hub.url });
    await client.listWebhooks();
    expect(sentToken()).toEqual([`Bearer ${TOKEN}`]);
  });
});

function sentToken(): (string | undefined)[] {
  return hub.requests.map((r) => r.headers.authorization);
}
