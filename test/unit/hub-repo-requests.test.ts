import { describe, expect, it } from "vitest";
import { repoFileRequest, repoRevisionRequest } from "../../src/hub/repo-file-requests.js";
import { replayWebhookLogRequest } from "../../src/hub/webhook-requests.js";

describe("repo file, revision and replay requests (SPEC section 3)", () => {
  it("resolve/{revision}/{path}: the prefix per repo type, the revision one encoded segment, the path's / kept", () => {
    expect(repoFileRequest({ repoType: "model", repoId: "me/bot" }, ".hubhooks.yml", "main").path).toBe("/me/bot/resolve/main/.hubhooks.yml");
    expect(repoFileRequest({ repoType: "dataset", repoId: "me/data" }, "conf/bot config.json", "main").path).toBe("/datasets/me/data/resolve/main/conf/bot%20config.json");
    expect(repoFileRequest({ repoType: "space", repoId: "me/app" }, "x.yml", "refs/pr/3")).toMatchObject({
      method: "GET", path: "/spaces/me/app/resolve/refs%2Fpr%2F3/x.yml", auth: "optional", response: "text",
    });
    expect(() => repoFileRequest({ repoType: "model", repoId: "../etc" }, "x", "main")).toThrow(/repoId/);
  });

  it("revision/{rev} with sha and cardData expanded", () => {
    expect(repoRevisionRequest({ repoType: "space", repoId: "me/app" }, "main")).toMatchObject({
      method: "GET", path: "/api/spaces/me/app/revision/main?expand=sha&expand=cardData", auth: "optional",
    });
  });

  it("replay: POST …/{id}/replay/{logId}, never repeated after an error that may have reached the Hub; bad ids refused", () => {
    const request = replayWebhookLogRequest("65f1", "66a2");
    expect(request).toMatchObject({ method: "POST", path: "/api/settings/webhooks/65f1/replay/66a2", auth: "required" });
    expect(request.idempotent).toBeUndefined(); // a POST: not idempotent by default
    expect(() => replayWebhookLogRequest("65f1", "..")).toThrow(/Invalid webhook log id/);
    expect(() => replayWebhookLogRequest("", "66a2")).toThrow(/Invalid webhook id/);
  });
});
