// A local stand-in for Stripe's servers (Stripe cannot be reached from here): a small HTTP
// server that answers the Stripe Connect calls Hashlease makes, in Stripe's shapes, so the
// official SDK is exercised for real (its requests, form encoding, idempotency header, error
// parsing) with STRIPE_API_BASE / stripeClient(key, base) pointed at it. Not a mock of our code:
// it only plays Stripe's side.
//   GET  /v1/accounts/:id   a connected account (payouts_enabled, capabilities, external_accounts)
//   POST /v1/transfers      a transfer to a connected account; replays the first answer for the
//                           same Idempotency-Key, as Stripe does; 400 when the destination's
//                           transfers capability is not active (Stripe's answer for a restricted
//                           account) or unknown
// Test accounts follow Stripe's test-mode conventions: bank account 000123456789 (routing
// 110000000, "STRIPE TEST BANK") for an account that can be paid.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface StandinAccount {
  id: string;
  payoutsEnabled: boolean;
  transfers: "active" | "inactive";
  bankLast4: string | null;
}

export interface StandinTransfer {
  id: string;
  amount: number;
  currency: string;
  destination: string;
  idempotencyKey: string | null;
}

export interface StripeStandin {
  base: string;
  accounts: Map<string, StandinAccount>;
  transfers: StandinTransfer[];
  /** Answer every request with a 500 (an outage) while true. */
  outage: boolean;
  close(): Promise<void>;
}

function accountJson(a: StandinAccount) {
  return {
    id: a.id,
    object: "account",
    type: "express",
    payouts_enabled: a.payoutsEnabled,
    charges_enabled: false,
    capabilities: { transfers: a.transfers },
    external_accounts: {
      object: "list",
      data: a.bankLast4
        ? [
            {
              id: `ba_${a.id.slice(5)}`,
              object: "bank_account",
              bank_name: "STRIPE TEST BANK",
              last4: a.bankLast4,
              status: "verified",
              currency: "usd",
              country: "US",
            },
          ]
        : [],
      has_more: false,
      url: `/v1/accounts/${a.id}/external_accounts`,
    },
  };
}

/**
 * The demo's connected accounts (npm start, the e2e server): one that finished onboarding (Stripe's
 * test bank account, last four 6789) and one that did not (no bank account, transfers inactive).
 */
export const STANDIN_TEST_ACCOUNTS: readonly StandinAccount[] = [
  { id: "acct_1HashleaseDemoOps", payoutsEnabled: true, transfers: "active", bankLast4: "6789" },
  { id: "acct_1HashleaseUnfinished", payoutsEnabled: false, transfers: "inactive", bankLast4: null },
];

export async function startStripeStandin(
  options: { port?: number; accounts?: readonly StandinAccount[] } = {},
): Promise<StripeStandin> {
  const accounts = new Map<string, StandinAccount>((options.accounts ?? []).map((a) => [a.id, { ...a }]));
  const transfers: StandinTransfer[] = [];
  const replays = new Map<string, string>();
  const state = { outage: false };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      const send = (status: number, json: unknown) => {
        res.statusCode = status;
        res.end(JSON.stringify(json));
      };
      const error = (status: number, type: string, message: string) => send(status, { error: { type, message } });
      if (state.outage) return error(500, "api_error", "stand-in outage");
      const account = /^\/v1\/accounts\/(acct_\w+)$/.exec(req.url ?? "");
      if (req.method === "GET" && account) {
        const found = accounts.get(account[1]!);
        return found
          ? send(200, accountJson(found))
          : error(404, "invalid_request_error", `No such account: '${account[1]}'`);
      }
      if (req.method === "POST" && req.url === "/v1/transfers") {
        const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
        const replay = key ? replays.get(key) : undefined;
        if (replay) {
          res.setHeader("idempotent-replayed", "true");
          res.end(replay);
          return;
        }
        const form = new URLSearchParams(body);
        const destination = accounts.get(form.get("destination") ?? "");
        if (!destination) return error(400, "invalid_request_error", "No such destination account.");
        if (destination.transfers !== "active") {
          return error(
            400,
            "invalid_request_error",
            "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments",
          );
        }
        const transfer: StandinTransfer = {
          id: `tr_test_${transfers.length + 1}`,
          amount: Number(form.get("amount")),
          currency: form.get("currency") ?? "usd",
          destination: destination.id,
          idempotencyKey: key,
        };
        transfers.push(transfer);
        const json = JSON.stringify({ ...transfer, object: "transfer", idempotencyKey: undefined, reversed: false });
        if (key) replays.set(key, json);
        res.end(json);
        return;
      }
      error(404, "invalid_request_error", "Unrecognized request URL.");
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    accounts,
    transfers,
    get outage() {
      return state.outage;
    },
    set outage(value: boolean) {
      state.outage = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
