import { describe, expect, it } from "vitest";
import { createCircuitBreaker } from "./circuit-breaker.js";

describe("circuit breaker", () => {
  it("given consecutive failures below the threshold, then calls still go out", () => {
    const b = createCircuitBreaker({ failureThreshold: 3, openMs: 1000 });
    b.failed(0);
    b.failed(1);
    expect(b.allow(2)).toBe(true);
    expect(b.state(2)).toBe("CLOSED");
  });

  it("given the threshold reached, then calls are refused until openMs has passed, with a Retry-After", () => {
    const b = createCircuitBreaker({ failureThreshold: 2, openMs: 3000 });
    b.failed(0);
    b.failed(100);
    expect(b.allow(200)).toBe(false);
    expect(b.retryAfterSeconds(200)).toBe(3);
    expect(b.state(3200)).toBe("HALF_OPEN");
  });

  it("given half-open, then one trial goes out; its success closes the breaker", () => {
    const b = createCircuitBreaker({ failureThreshold: 1, openMs: 1000 });
    b.failed(0);
    expect(b.allow(1500)).toBe(true);
    expect(b.allow(1501)).toBe(false);
    b.succeeded();
    expect(b.state(1502)).toBe("CLOSED");
    expect(b.allow(1503)).toBe(true);
  });

  it("given half-open, when the trial fails, then the breaker opens again from that moment", () => {
    const b = createCircuitBreaker({ failureThreshold: 1, openMs: 1000 });
    b.failed(0);
    expect(b.allow(1500)).toBe(true);
    b.failed(1600);
    expect(b.allow(2000)).toBe(false);
    expect(b.state(2600)).toBe("HALF_OPEN");
  });
});
