import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { redactUrlsInText } from "../../src/cli/display-url.js";
import { main, type CliIo } from "../../src/cli/main.js";

function io(env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, cwd: process.cwd() };
  return { value, text: () => out.join("") + err.join("") };
}

// A port nothing listens on: bind, read the port, close.
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("CLI output never echoes a secret carried in a URL", () => {
  it("redacts ?secret=, ?token= and userinfo passwords in any text", () => {
    expect(redactUrlsInText('got "127.0.0.1:7860/webhooks/a?secret=abc&x=1"')).toBe('got "127.0.0.1:7860/webhooks/a?secret=***&x=1"');
    expect(redactUrlsInText("http://me:pw@127.0.0.1:7860/x")).toBe("http://me:***@127.0.0.1:7860/x");
    expect(redactUrlsInText("https://a.b/c?path=/webhooks/x&secret=s")).toBe("https://a.b/c?path=/webhooks/x&secret=***");
    expect(redactUrlsInText("no url here: a=b")).toBe("no url here: a=b");
  });

  it("trigger with a malformed --to (missing scheme) does not print the secret in its error", async () => {
    const cli = io();
    const code = await main(["trigger", "repo.create", "--to", "127.0.0.1:7860/webhooks/a?secret=LEAK-ME-1"], cli.value);
    expect(code).toBe(1);
    expect(cli.text()).toMatch(/--to must be an http\(s\) URL/);
    expect(cli.text()).not.toContain("LEAK-ME-1");
  });

  it("trigger to a URL with credentials, or an unreachable one with ?secret=, keeps them out of stdout and stderr (--debug too)", async () => {
    const port = await closedPort();
    for (const to of [`http://user:LEAK-ME-2@127.0.0.1:${port}/webhooks/a`, `http://127.0.0.1:${port}/webhooks/a?secret=LEAK-ME-2`]) {
      const cli = io();
      const code = await main(["trigger", "repo.create", "--to", to, "--debug"], cli.value);
      expect(code, to).toBe(1);
      expect(cli.text(), to).toMatch(/Cannot reach/);
      expect(cli.text(), to).not.toContain("LEAK-ME-2");
    }
  });

  it("deliveries with a --url carrying a password does not echo it when the server is unreachable", async () => {
    const port = await closedPort();
    const cli = io();
    const code = await main(["deliveries", "ls", "--url", `http://u:LEAK-ME-3@127.0.0.1:${port}`], cli.value);
    expect(code).toBe(1);
    expect(cli.text()).not.toContain("LEAK-ME-3");
  });
});
