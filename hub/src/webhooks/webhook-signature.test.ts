import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signWebhook, webhookHeaders } from "./webhook-signature.js";

describe("webhook signatures (Standard Webhooks)", () => {
  it("given the specification's test vector, when signed, then the signature is the published one", () => {
    const signature = signWebhook(
      { id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1614265330, body: '{"test": 2432232314}' },
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    expect(signature).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("given a new secret, then it is whsec_ and 24 bytes of base64 that key the HMAC", () => {
    const secret = newWebhookSecret(() => Buffer.alloc(24, 7));
    expect(secret).toBe(`whsec_${Buffer.alloc(24, 7).toString("base64")}`);
    expect(newWebhookSecret()).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const message = { id: "d-1", timestamp: 1700000000, body: '{"sku":"A1"}' };
    const expected = createHmac("sha256", Buffer.alloc(24, 7)).update('d-1.1700000000.{"sku":"A1"}').digest("base64");
    expect(webhookHeaders(message, secret)).toEqual({
      "content-type": "application/json",
      "webhook-id": "d-1",
      "webhook-timestamp": "1700000000",
      "webhook-signature": `v1,${expected}`,
    });
  });

  it("given a changed body, id or timestamp, then the signature changes", () => {
    const secret = newWebhookSecret();
    const base = { id: "d-1", timestamp: 1700000000, body: "{}" };
    const signature = signWebhook(base, secret);
    expect(signWebhook({ ...base, body: "{ }" }, secret)).not.toBe(signature);
    expect(signWebhook({ ...base, id: "d-2" }, secret)).not.toBe(signature);
    expect(signWebhook({ ...base, timestamp: 1700000001 }, secret)).not.toBe(signature);
  });
});
