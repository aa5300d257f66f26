import { describe, expect, it } from "vitest";
import { packageVersion } from "../../src/cli/package-version.js";
import { webhookPayloadJsonSchema } from "../../src/payload/index.js";
import { main } from "../../src/cli/main.js";
import { runCli, type CliResult } from "../helpers/cli.js";

/** `hubhooks <args>` in this process, through main(argv, io): what the CLI prints and its exit code. */
async function runMain(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), env: { NO_COLOR: "1", ...env }, cwd: process.cwd() };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const COMMANDS = [
  [],
  ["serve"],
  ["dev"],
  ["trigger"],
  ["deliveries"],
  ["deliveries", "ls"],
  ["deliveries", "show"],
  ["deliveries", "replay"],
  ["webhooks"],
  ...["ls", "info", "create", "update", "enable", "disable", "delete"].map((c) => ["webhooks", c]),
  ["init"],
  ["schema"],
];

describe("hubhooks: help, version, errors, schema (in process, through main)", () => {
  it.each(COMMANDS)("`hubhooks %s --help` shows usage and examples", async (...command) => {
    const { code, stdout, stderr } = await runMain([...command, "--help"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: hubhooks${command.map((c) => ` ${c}`).join("")}[ |]`));
    expect(stdout).toMatch(/\nExamples:\n {2}\$ hubhooks /);
  });

  it("--version prints the package version", async () => {
    const { code, stdout } = await runMain(["--version"]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${packageVersion()}\n`);
  });

  it.each([
    [["frobnicate"], "error: unknown command 'frobnicate'"],
    [["trigger", "--frob"], "error: unknown option '--frob'"],
    [["deliveries", "show"], "error: missing required argument 'id'"],
    [["serve", "app.ts", "--prot", "80"], "error: unknown option '--prot' (did you mean --port?)"],
    [["deliveries", "ls", "--staus", "dead"], "error: unknown option '--staus' (did you mean --status?)"],
    [["--version"], "hubhooks: HUBHOOKS_DATABSE: did you mean HUBHOOKS_DATABASE? (environment variable)", { HUBHOOKS_DATABSE: "x.db" }],
  ] as Array<[string[], string, Record<string, string>?]>)("a usage error is one line and exit 1: %j", async (args, message, env) => {
    const { code, stdout, stderr } = await runMain(args, env);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(message + "\n");
  });

  it("no stack trace unless --debug", async () => {
    const plain = await runMain(["trigger", "nope", "--endpoint", "x"]);
    expect(plain.code).toBe(1);
    expect(plain.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    for (const args of [["--debug", "trigger", "nope", "--endpoint", "x"], ["trigger", "nope", "--endpoint", "x", "--debug"]]) {
      const debug = await runMain(args);
      expect(debug.code).toBe(1);
      expect(debug.stderr.split("\n")[0]).toBe(plain.stderr.trimEnd());
      expect(debug.stderr).toMatch(/\n\s+at .*fixtures\.(js|ts)/);
    }
  });

  it("schema prints the payload JSON Schema", async () => {
    const { code, stdout } = await runMain(["schema"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(webhookPayloadJsonSchema());
    expect(JSON.parse(stdout)).toMatchObject({ $id: "urn:hubhooks:hub-webhook-payload:v3", properties: { event: {}, repo: {} } });
  });
});

// One real subprocess per command: the built bin starts and answers (everything else runs in process, above).
describe("hubhooks (built CLI, subprocess): one smoke test per command", () => {
  it.each([["serve"], ["dev"], ["trigger"], ["deliveries"], ["webhooks"], ["init"], ["schema"]])("`hubhooks %s --help` in a subprocess", async (command) => {
    const { code, stdout, stderr } = await runCli([command, "--help"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: hubhooks ${command}[ |]`));
  });
});
