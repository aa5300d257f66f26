import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { ensureDirectory } from "../internal/ensure-directory.js";
import { basename, join, relative, resolve } from "node:path";
import { Command } from "commander";
import { HubhooksError } from "../errors.js";
import type { CliIo, SetExit } from "./main.js";
import { packageVersion } from "./package-version.js";
import { spaceTemplate } from "./space-template.js";
import { forwardTemplate } from "./forward-template.js";
import { jobApp, jobNextSteps, jobReadme, samplePayload } from "./job-template.js";
import { deploySteps, NEW_SPACE_URL } from "./deploy-steps.js";
import { npmInstall } from "./npm-install.js";
import { getFixture } from "../payload/index.js";

interface InitOptions {
  force?: boolean;
  title?: string;
  endpoint: string;
  job?: boolean;
  forward?: boolean;
  package?: string;
  install: boolean;
}

const EXAMPLES = `
Examples:
  $ hubhooks init my-webhooks-space
  $ hubhooks init . --title "Dataset sync bot" --endpoint sync
  $ hubhooks init my-space --force        # overwrite files that exist
  $ hubhooks init my-notifier --forward   # no code: forward events to Discord (hubhooks.forward.json)
  $ hubhooks init my-space --package ./hubhooks-0.1.0.tgz   # depend on a local build (npm pack) instead
  $ hubhooks init my-space --no-install   # skip npm install (run it before the first commit)

Writes README.md (Space front matter: sdk docker, app_port 7860), Dockerfile (node:24-slim), package.json,
app.ts, tsconfig.json (npm run typecheck), .gitignore and .dockerignore, then runs npm install, which writes
the package-lock.json the Space's npm ci needs. Refuses to overwrite any existing file unless --force.
`;

/**
 * `hubhooks init [dir]`: scaffold a ready-to-push Docker Space with one endpoint.
 * @example
 * program.addCommand(initCommand(io, setExit)); // hubhooks init my-space
 */
export function initCommand(io: CliIo, _setExit: SetExit): Command {
  return new Command("init")
    .description("scaffold a Docker Space (Node 24) that serves one webhook endpoint")
    .argument("[dir]", "directory to create or fill", ".")
    .option("--title <title>", "Space title (default: the directory's name)")
    .option("--endpoint <name>", "name of the endpoint in app.ts", "hello")
    .option("-f, --force", "overwrite existing files")
    .option("--job", "a Job-ready project: run by a Hugging Face Job on each webhook event (hubhooks job app.ts)")
    .option("--forward", "a no-code Space forwarding events to Discord (hubhooks forward + hubhooks.forward.json)")
    .option("--no-install", "do not run npm install (the Space's npm ci then needs you to run it before the first commit)")
    .option("--package <spec>", "hubhooks dependency: a tarball or folder path, or a version range (env HUBHOOKS_INIT_PACKAGE; default the registry's ^<this version>)")
    .addHelpText("after", EXAMPLES)
    .action(async (dir: string, opts: InitOptions) => {
      const root = resolve(io.cwd, dir);
      if (!/^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/.test(opts.endpoint)) {
        throw new HubhooksError("INVALID_OPTIONS", `Invalid endpoint name "${opts.endpoint}": use letters, digits, _ . - /`);
      }
      const name = basename(root);
      if (opts.forward && opts.job) throw new HubhooksError("INVALID_OPTIONS", "--forward and --job make different projects: pick one");
      // The forwarder's route defaults to /webhooks/forward rather than the code template's "hello".
      if (opts.forward && opts.endpoint === "hello") opts.endpoint = "forward";
      const template = spaceTemplate({
        title: opts.title || name,
        spaceName: name,
        packageName: packageName(name),
        hubhooksRange: dependencySpec(opts.package ?? io.env.HUBHOOKS_INIT_PACKAGE, io.cwd),
        endpoint: opts.endpoint,
      });
      const files = opts.forward ? forwardTemplate(template, opts.endpoint) : template;
      if (opts.job) {
        files["README.md"] = jobReadme({ title: opts.title || name, spaceName: name, endpoint: opts.endpoint });
        files["app.ts"] = jobApp(opts.endpoint);
        files["payload.json"] = samplePayload(getFixture("repo.content.update"));
      }
      const existing = Object.keys(files).filter((file) => existsSync(join(root, file)));
      if (existing.length > 0 && !opts.force) {
        throw new HubhooksError("INVALID_OPTIONS", `Refusing to overwrite ${existing.join(", ")} in ${shown(io.cwd, root)}; pass --force to overwrite`);
      }
      ensureDirectory(root); // not mkdir({ recursive }): it loops for ever under /proc
      for (const [file, text] of Object.entries(files)) await writeFile(join(root, file), text);
      const where = shown(io.cwd, root);
      const what = opts.job ? "a Job-ready project" : "a Docker Space";
      io.stdout(`Created ${what} in ${where}: ${Object.keys(files).join(", ")}\n`);
      if (opts.install) await npmInstall(root, where, io);
      if (opts.job) io.stdout(jobNextSteps(where, name, { installed: opts.install }));
      else io.stdout(spaceNextSteps(where, name, opts.install, opts.forward === true));
    });
}

// The same deploy steps as the README and the scaffold's README (deploySteps), after the local try-out.
function spaceNextSteps(where: string, name: string, installed: boolean, forward: boolean): string {
  return [
    "Try it:",
    `  cd ${where}`,
    ...(installed ? [] : ["  npm install"]),
    forward
      ? "  DISCORD_WEBHOOK_URL=… npx hubhooks forward   # local only: events posted to it go to your Discord channel"
      : "  npx hubhooks serve app.ts      # local only; npx hubhooks dev app.ts gives it a public URL",
    `Deploy it: create a Docker Space named ${name} at ${NEW_SPACE_URL} (blank template), then:`,
    ...deploySteps(name).map((line) => `  ${line}`),
    "Then add its secrets (WEBHOOK_SECRET…) and persistent storage as README.md says.",
    "",
  ].join("\n");
}

/** `^<this version>` from the registry, or a local tarball/folder as `file:<absolute path>` (what npm pack made). */
function dependencySpec(spec: string | undefined, cwd: string): string {
  if (!spec?.trim()) return `^${packageVersion()}`;
  const isPath = /^(\.{1,2}[\\/]|[\\/]|[A-Za-z]:[\\/])/.test(spec) || /\.(tgz|tar\.gz)$/.test(spec);
  return isPath ? `file:${resolve(cwd, spec.replace(/^file:/, ""))}` : spec;
}

function packageName(dirName: string): string {
  const slug = dirName.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[-._]+|[-._]+$/g, "");
  return slug || "hubhooks-space";
}

function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === "" ? "." : rel.startsWith("..") ? path : rel;
}
