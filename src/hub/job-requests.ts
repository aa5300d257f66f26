import { HubhooksError } from "../errors.js";
import type { HubRequest } from "./send-hub-request.js";

/**
 * A Job to run (the Hub's `POST /api/jobs/{namespace}` body, as `huggingface_hub`'s `run_job` and `@huggingface/hub`'s
 * `runJob` send it). `image` is a Docker image (`node:24-slim`) or a Space (`hf.co/spaces/me/my-app`, sent as
 * `spaceId`).
 * @example
 * const job: RunJobOptions = { image: "hf.co/spaces/me/my-job", command: ["npx", "hubhooks", "job", "app.ts"], secrets: { HF_TOKEN: token } };
 */
export interface RunJobOptions {
  image: string;
  command: string[];
  arguments?: string[];
  env?: Record<string, string>;
  /** Encrypted by the Hub; never shown again. */
  secrets?: Record<string, string>;
  /** Hardware, e.g. `cpu-basic` (the default), `a10g-small`. */
  flavor?: string;
  timeoutSeconds?: number;
  labels?: Record<string, string>;
  /** User or org to run it under; default: the token's user. */
  namespace?: string;
}

/** What the Hub answers about a Job (the fields hubhooks reads; the rest is kept). */
export interface JobInfo {
  id: string;
  status: { stage: string; message?: string | null; [key: string]: unknown };
  dockerImage?: string | null;
  spaceId?: string | null;
  command?: string[] | null;
  flavor?: string;
  owner?: { id: string; name: string; type?: string };
  createdAt?: string;
  [key: string]: unknown;
}

/** One line of a Job's logs. */
export interface JobLogLine {
  message: string;
  timestamp: string | null;
}

const SPACE_PREFIXES = ["https://huggingface.co/spaces/", "https://hf.co/spaces/", "huggingface.co/spaces/", "hf.co/spaces/"];

/**
 * `POST /api/jobs/{namespace}` (creates: never sent twice after an error that may have reached the Hub).
 * @example
 * runJobRequest("me", { image: "node:24-slim", command: ["node", "-e", "1"] }).body; // { dockerImage: "node:24-slim", … }
 */
export function runJobRequest(namespace: string, options: RunJobOptions): HubRequest {
  if (typeof options.image !== "string" || options.image === "") throw new HubhooksError("INVALID_OPTIONS", "A Job needs an image");
  if (!Array.isArray(options.command) || options.command.length === 0 || options.command.some((c) => typeof c !== "string")) {
    throw new HubhooksError("INVALID_OPTIONS", "A Job needs a command: a non-empty array of strings");
  }
  const prefix = SPACE_PREFIXES.find((p) => options.image.startsWith(p));
  const body: Record<string, unknown> = {
    ...(prefix ? { spaceId: options.image.slice(prefix.length) } : { dockerImage: options.image }),
    command: options.command,
    arguments: options.arguments ?? [],
    environment: options.env ?? {},
    flavor: options.flavor ?? "cpu-basic",
  };
  if (options.secrets && Object.keys(options.secrets).length > 0) body.secrets = options.secrets;
  if (options.timeoutSeconds !== undefined) body.timeoutSeconds = options.timeoutSeconds;
  if (options.labels) body.labels = options.labels;
  return {
    method: "POST", path: jobsPath(namespace), body, auth: "required", response: "json",
    redact: Object.values(options.secrets ?? {}),
  };
}

/** `GET /api/jobs/{namespace}/{jobId}` */
export function getJobRequest(namespace: string, jobId: string): HubRequest {
  return { method: "GET", path: `${jobsPath(namespace)}/${segment(jobId, "job id")}`, auth: "required", response: "json" };
}

/** `GET /api/jobs/{namespace}/{jobId}/logs`: server-sent events, one `{data, timestamp}` JSON per line. */
export function jobLogsRequest(namespace: string, jobId: string): HubRequest {
  return { method: "GET", path: `${jobsPath(namespace)}/${segment(jobId, "job id")}/logs`, auth: "required", response: "text" };
}

/** A Job as the Hub describes it, checked for the fields hubhooks reads. */
export function toJobInfo(value: unknown): JobInfo {
  const job = value as JobInfo | null;
  if (!job || typeof job.id !== "string" || typeof job.status?.stage !== "string") {
    throw new HubhooksError("HUB_API", "The Hub answered a Job without an id or status", { status: 502 });
  }
  return job;
}

function jobsPath(namespace: string): string {
  return `/api/jobs/${segment(namespace, "namespace")}`;
}

function segment(value: string, what: string): string {
  if (typeof value !== "string" || value === "" || value.includes("/")) {
    throw new HubhooksError("INVALID_OPTIONS", `Invalid ${what} ${JSON.stringify(value)}`);
  }
  return encodeURIComponent(value);
}
