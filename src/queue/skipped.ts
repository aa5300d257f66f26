/**
 * What a run returns when no handler applied to the delivery (no route matched, or a repo filter left it out): the
 * delivery is settled as `skipped` with this reason instead of `succeeded` with `null`, so a filter that drops
 * events is visible. The Hub still gets 200 `null` (what the Python server answers when nothing ran).
 * @example
 * return new Skipped('no route matched "repo.content.update"');
 */
export class Skipped {
  constructor(readonly reason: string) {}
}
