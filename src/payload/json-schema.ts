import * as z from "zod";
import { WebhookPayloadSchema } from "./schema.js";

/** Identifies the document; a URN because the schema is generated, not hosted. */
const SCHEMA_ID = "urn:hubhooks:hub-webhook-payload:v3";

/**
 * JSON Schema (draft 2020-12) of the payload, generated from {@link WebhookPayloadSchema}: the same loose
 * shape (extra properties allowed everywhere; known values of open strings listed as `examples`). For
 * editors, other languages and API docs. Returns a fresh object on every call.
 * @example
 * import { writeFileSync } from "node:fs";
 * writeFileSync("hub-webhook-payload.schema.json", JSON.stringify(webhookPayloadJsonSchema(), null, 2));
 */
export function webhookPayloadJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(WebhookPayloadSchema, { target: "draft-2020-12", io: "input" });
  return {
    $schema,
    $id: SCHEMA_ID,
    ...rest,
    title: "Hugging Face Hub webhook payload (version 3)",
    description: "A webhook delivery from the Hugging Face Hub, as hubhooks parses it (lenient: unknown fields and values pass).",
  };
}
