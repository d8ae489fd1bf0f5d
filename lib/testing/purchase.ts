// A purchase as a test makes it: executePurchase (lib/contracts/service.ts) with the defaults the
// tests share (the test buyer's address, the test-mode checkout, a local origin and IP, a fresh
// idempotency key), so a test names only what it is about.
import { randomUUID } from "node:crypto";
import { executePurchase, type PurchaseContext } from "../contracts/service";
import type { PrismaClient } from "../db/client";

export function testPurchase(
  prisma: PrismaClient,
  user: string | { id: string; email: string },
  body: Record<string, unknown>,
  options: Partial<Omit<PurchaseContext, "prisma" | "user" | "body">> = {},
) {
  return executePurchase({
    prisma,
    user: typeof user === "string" ? { id: user, email: "buyer@test.example" } : user,
    body,
    idempotencyKey: options.idempotencyKey === undefined ? `test-${randomUUID()}` : options.idempotencyKey,
    ip: options.ip === undefined ? "127.0.0.1" : options.ip,
    card: options.card === undefined ? "test" : options.card,
    origin: options.origin ?? "http://localhost",
    sessionAuthAt: options.sessionAuthAt,
    sessionId: options.sessionId,
  });
}
