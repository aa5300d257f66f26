import type { Context } from "hono";
import { HubhooksError } from "../errors.js";
import { getFixture } from "../payload/index.js";
import { jsonDepthExceeds, tooDeepMessage } from "../payload/json-depth.js";

// A payload the Hub sends is at most a few hundred KB; the test-event form carries one.
const MAX_FORM_BYTES = 2 * 1024 * 1024;

/**
 * Whether the caller is the dashboard's script (JSON answer) rather than a plain form post (redirect back).
 * @example
 * wantsJson(c) ? c.json(data) : c.redirect("../", 303);
 */
export function wantsJson(c: Context): boolean {
  return (c.req.header("accept") ?? "").includes("application/json");
}

/**
 * The fields of a form post (urlencoded or multipart) or of a JSON object body, as strings; at most 2 MiB.
 * @example
 * const { id } = await readForm(c);
 */
export async function readForm(c: Context): Promise<Record<string, string | undefined>> {
  const length = Number(c.req.header("content-length") ?? 0);
  if (length > MAX_FORM_BYTES) throw new HubhooksError("PAYLOAD_TOO_LARGE", "The form is too large.", { status: 413 });
  if ((c.req.header("content-type") ?? "").includes("application/json")) {
    const text = await c.req.text();
    // Its fields are serialised again below: a value nested thousands deep would overflow the stack there.
    if (jsonDepthExceeds(text)) throw new HubhooksError("JSON_TOO_DEEP", tooDeepMessage("The form"), { status: 400 });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new HubhooksError("INVALID_JSON", "Request body is not valid JSON.", { status: 400 });
    }
    if (!body || typeof body !== "object") return {};
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  }
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody();
  } catch (error) {
    // A multipart body without its boundary, cut short or malformed: the caller's mistake, not ours.
    const reason = error instanceof Error ? error.message : String(error);
    throw new HubhooksError("INVALID_FORM", `The form could not be read (${reason}).`, { status: 400, cause: error });
  }
  return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, typeof v === "string" ? v : undefined]));
}

/**
 * The test event to send: the edited JSON when given, else the named fixture.
 * @throws HubhooksError `INVALID_JSON` (400) for broken JSON, `INVALID_OPTIONS` (400) for neither or an unknown fixture.
 * @example
 * parsePayloadField("", "repo.create"); // getFixture("repo.create")
 */
export function parsePayloadField(text: string | undefined, fixture: string | undefined): unknown {
  if (text?.trim()) {
    if (jsonDepthExceeds(text)) throw new HubhooksError("JSON_TOO_DEEP", tooDeepMessage("The payload"), { status: 400 });
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new HubhooksError("INVALID_JSON", `The payload is not valid JSON: ${(error as Error).message}`, { status: 400 });
    }
  }
  if (fixture) return getFixture(fixture);
  throw new HubhooksError("INVALID_OPTIONS", "Pick a fixture or write a JSON payload.", { status: 400 });
}
