import { randomUUID } from "node:crypto";

export interface TestEventResult {
  status: number;
  body: string;
  deliveryId: string | null;
}

/** POST a payload to an endpoint URL through `fetch` with the headers the Hub sends (secret, `Webhook-Id`). */
export async function sendTestEvent(
  fetch: (request: Request) => Promise<Response>,
  input: { url: string; secret?: string; payload: unknown },
): Promise<TestEventResult> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "webhook-id": `test_${randomUUID()}`,
    "user-agent": "hubhooks-test-event",
  };
  if (input.secret) headers["x-webhook-secret"] = input.secret;
  const response = await fetch(
    new Request(input.url, { method: "POST", headers, body: JSON.stringify(input.payload) }),
  );
  const body = await response.text();
  let deliveryId = response.headers.get("x-hubhooks-delivery");
  if (!deliveryId) {
    try {
      deliveryId = (JSON.parse(body) as { deliveryId?: string }).deliveryId ?? null;
    } catch {
      deliveryId = null;
    }
  }
  return { status: response.status, body, deliveryId };
}
