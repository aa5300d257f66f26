import { html, type SafeHtml } from "../../internal/html.js";

/**
 * A fixture as the form lists it.
 * @example
 * const option: FixtureOption = listFixtures()[0]; // { name: "repo.create", event: "repo.create", description: "…" }
 */
export interface FixtureOption {
  name: string;
  event: string;
  description: string;
}

/**
 * "Send a test event": pick an endpoint and a fixture (every documented scope/action), edit the JSON if you like,
 * and the server sends it through the real endpoint with the secret. The script loads a fixture's JSON into the
 * textarea when the choice changes and shows the answer.
 * @example
 * testEventForm(app.routes, listFixtures(), JSON.stringify(getFixture("repo.create"), null, 2));
 */
export function testEventForm(routes: string[], fixtures: FixtureOption[], initialPayload: string): SafeHtml {
  if (routes.length === 0) return html``;
  return html`<section class="test-event"><h2>Send a test event</h2>
<p class="small muted">The server posts the JSON below to the endpoint, with the webhook secret, exactly as the Hub would.
The delivery then appears in the table.</p>
<form method="post" action="dashboard/test-event" data-async>
<div class="row"><label>Endpoint <select name="endpoint">${routes.map((r) => html`<option value="${r}">POST ${r}</option>`)}</select></label>
<label>Fixture <select name="fixture" id="fixture">${fixtures.map((f) => html`<option value="${f.name}" title="${f.description}">${f.name}</option>`)}</select></label>
<button type="submit" class="primary">Send</button></div>
<textarea name="payload" id="payload" spellcheck="false" aria-label="Payload (JSON)">${initialPayload}</textarea>
<output data-output></output></form></section>`;
}
