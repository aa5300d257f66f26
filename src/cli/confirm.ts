import { createInterface } from "node:readline";
import type { CliIo } from "./main.js";

/**
 * Ask a y/N question on stderr and read the answer from a terminal. Resolves `"yes"`, `"no"` (anything else,
 * including end of input), or `"no-terminal"` without asking when stdin is absent or not a TTY, so that
 * scripts and CI never block on a prompt nobody sees.
 * @example
 * if ((await confirm(io, "Delete webhook 65ab…?")) !== "yes") return;
 */
export async function confirm(io: CliIo, question: string): Promise<"yes" | "no" | "no-terminal"> {
  const input = io.stdin;
  if (!input || !input.isTTY) return "no-terminal";
  io.stderr(`${question} [y/N] `);
  const answer = await readLine(input);
  return /^\s*y(es)?\s*$/i.test(answer) ? "yes" : "no";
}

function readLine(input: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, terminal: false });
    let answered = false;
    rl.once("line", (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    rl.once("close", () => {
      if (!answered) resolve("");
    });
  });
}
