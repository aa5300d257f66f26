import { Command } from "commander";
import { webhookPayloadJsonSchema } from "../payload/index.js";
import type { CliIo, SetExit } from "./main.js";

/**
 * `hubhooks schema`: print the JSON Schema (draft 2020-12) of the Hub's webhook payload.
 * @example
 * program.addCommand(schemaCommand(io, setExit)); // hubhooks schema > hub-webhook-payload.schema.json
 */
export function schemaCommand(io: CliIo, _setExit: SetExit): Command {
  return new Command("schema")
    .description("print the JSON Schema of the Hub webhook payload (version 3)")
    .addHelpText("after", "\nExamples:\n  $ hubhooks schema > hub-webhook-payload.schema.json\n  $ hubhooks schema | jq '.properties | keys'\n")
    .action(() => {
      io.stdout(JSON.stringify(webhookPayloadJsonSchema(), null, 2) + "\n");
    });
}
