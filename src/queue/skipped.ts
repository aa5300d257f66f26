/**
 * What a run returns when it settles a delivery without running a handler: `skipped` when no handler applied (no
 * route matched, or a repo filter left it out), so a filter that drops events is visible instead of a `succeeded`
 * with `null`; `invalid` when the payload failed validation again (a replayed quarantined delivery). The Hub still
 * gets 200 `null` for a skipped one (what the Python server answers when nothing ran).
 * @example
 * return new Skipped('no route matched "repo.content.update"');
 */
export class Skipped {
  constructor(
    readonly reason: string,
    readonly as: "skipped" | "invalid" = "skipped",
  ) {}
}
