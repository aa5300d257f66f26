import { HubhooksError } from "../errors.js";
import { redactUrlsInText } from "./display-url.js";

/** Where the CLI finds a running server when neither a flag nor `HUBHOOKS_URL` says otherwise. */
export const DEFAULT_SERVER_URL = "http://127.0.0.1:7860";

/**
 * The server URL from a flag, else `HUBHOOKS_URL`, else {@link DEFAULT_SERVER_URL}.
 * @example
 * serverUrlFrom(undefined, { HUBHOOKS_URL: "http://127.0.0.1:8080" }); // "http://127.0.0.1:8080"
 */
export function serverUrlFrom(flag: string | undefined, env: Record<string, string | undefined>): string {
  return flag || env.HUBHOOKS_URL || DEFAULT_SERVER_URL;
}

/**
 * Validate an http(s) URL given on the command line and drop trailing `/`.
 * @example
 * baseUrlOption("http://127.0.0.1:7860/", "--url"); // "http://127.0.0.1:7860"
 */
export function baseUrlOption(value: string, flag: string): string {
  const trimmed = value.trim().replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]/i.test(trimmed) || !URL.canParse(trimmed)) {
    throw new HubhooksError("INVALID_OPTIONS", `${flag} must be an http(s) URL, got "${redactUrlsInText(value)}"`);
  }
  return trimmed;
}
