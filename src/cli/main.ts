import { Command, CommanderError } from "commander";
import { checkEnvironment } from "./check-environment.js";
import { deliveriesCommand } from "./deliveries.js";
import { redactUrlsInText } from "./display-url.js";
import { devCommand } from "./dev.js";
import { forwardCommand } from "./forward.js";
import { initCommand } from "./init.js";
import { jobCommand } from "./job.js";
import { packageVersion } from "./package-version.js";
import { schemaCommand } from "./schema.js";
import { serveCommand } from "./serve.js";
import { triggerCommand } from "./trigger.js";
import { webhooksCommand } from "./webhooks.js";

/** What the CLI reads and writes; injectable so tests can run `main` in-process as well as through the built binary. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Where `webhooks delete` reads its y/N answer; absent means there is no one to ask. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/**
 * The real process's streams, environment and working directory.
 * @example
 * await main(process.argv.slice(2), processIo());
 */
export const processIo = (): CliIo => {
  ignoreClosedPipe();
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
  };
};

let pipeGuarded = false;
// `hubhooks trigger --list | head -3`: the reader leaving early is not an error worth a stack trace.
function ignoreClosedPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

/** Sets the exit code a command ends with when it did not throw (e.g. `trigger` got a non-2xx answer). */
export type SetExit = (code: number) => void;

const EXAMPLES = `
Examples:
  $ hubhooks init my-space                        scaffold a Docker Space
  $ hubhooks serve app.ts                         run the endpoints app.ts registers
  $ hubhooks dev app.ts                           the same with a public URL, reloading on change
  $ hubhooks trigger discussion.comment.create --endpoint bot
  $ hubhooks deliveries ls --status retrying,dead
  $ hubhooks webhooks ls                          (needs HF_TOKEN)
  $ hubhooks job app.ts                           inside a Hugging Face Job: run app.ts on WEBHOOK_PAYLOAD
  $ hubhooks forward --to discord=$DISCORD_WEBHOOK_URL --on repo.content.update
`;

/**
 * The `hubhooks` command line as a function returning an exit code; only `bin/hubhooks.js` calls `process.exit`.
 * Errors end as one `hubhooks: <reason>` line on stderr and exit code 1; `--debug` adds the stack trace.
 * @example
 * const code = await main(["trigger", "--list"], processIo());
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = 0;
  const setExit: SetExit = (code) => (exitCode = code);
  const program = new Command("hubhooks")
    .description("Receive Hugging Face Hub webhooks: serve, trigger and inspect deliveries, manage Hub webhooks.")
    .version(packageVersion(), "-V, --version")
    .option("--debug", "show stack traces on errors")
    .addHelpText("after", EXAMPLES);
  program.addCommand(serveCommand(io, setExit));
  program.addCommand(devCommand(io, setExit));
  program.addCommand(triggerCommand(io, setExit));
  program.addCommand(deliveriesCommand(io, setExit));
  program.addCommand(webhooksCommand(io, setExit));
  program.addCommand(initCommand(io, setExit));
  program.addCommand(schemaCommand(io, setExit));
  program.addCommand(jobCommand(io, setExit));
  program.addCommand(forwardCommand(io, setExit));
  configure(program, io);
  try {
    checkEnvironment(io.env);
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const message = error instanceof Error ? error.message : String(error);
    // Last line of defence: a URL the user typed may carry `?secret=` or a password.
    io.stderr(`hubhooks: ${oneLine(redactUrlsInText(message.replace(/^\[hubhooks\] /, "")))}\n`);
    const debug = program.opts().debug === true || argv.includes("--debug");
    if (debug) io.stderr(redactUrlsInText(debugText(error)) + "\n");
    return 1;
  }
}

// addCommand() does not pass settings down, so every command gets the same output and no process.exit.
function configure(command: Command, io: CliIo): void {
  command.exitOverride().configureOutput({
    writeOut: io.stdout,
    writeErr: io.stderr,
    // Commander puts its suggestion on a second line; a usage error stays one line: "… '--prot' (did you mean --port?)".
    outputError: (text, write) => write(text.replace(/\n\(Did you mean (.+?)\)\n?$/, " (did you mean $1)\n")),
  });
  for (const sub of command.commands) configure(sub, io);
}

// A multi-line message (say, an HTML error page from a proxy) still makes one line.
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

// The stack, then each cause's (bounded: causes can form a cycle).
function debugText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    const text = current instanceof Error ? (current.stack ?? current.message) : String(current);
    parts.push(depth === 0 ? text : `Caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join("\n");
}
