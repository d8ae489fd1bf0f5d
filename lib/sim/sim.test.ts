// The money simulation in CI: 1,000 operations with a fixed seed, worker processes killed
// with SIGKILL in the middle of purchases and payout runs, every invariant checked. And the
// checker itself: on a scratch world whose rows are broken behind the database's back (triggers
// off), every invariant must report FAIL, so none of them passes vacuously.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPurchase } from "../testing/purchase";
import { describeOnServer } from "../testing/server-only";
import { checkInvariants, formatInvariant } from "./invariants";
import { planOperations } from "./ops";
import { formatReport, runSimulation } from "./run";
import { buildWorld, type BuiltWorld } from "./world";

const SEED = 20261126;

describe("simulation plan", () => {
  it("the plan is a function of the seed", () => {
    const options = { seed: SEED, ops: 500, actors: 8, customers: 10, listings: 6, days: 8 };
    expect(planOperations(options)).toEqual(planOperations(options));
    expect(planOperations({ ...options, seed: SEED + 1 })).not.toEqual(planOperations(options));
    expect(planOperations(options).some((op) => op.kind === "payout_double")).toBe(true);
  });
});

describeOnServer("money simulation", "worker processes on one database, killed mid-transaction", () => {
  it("1,000 operations with crash injection keep every invariant, with no unexpected error", async () => {
    const report = await runSimulation({ ops: 1_000, seed: SEED, workers: 2, lanes: 4 });
    console.log(formatReport(report).join("\n"));
    expect(report.errors).toEqual([]);
    expect(report.invariants.filter((i) => !i.ok).map(formatInvariant)).toEqual([]);
    expect(report.invariants).toHaveLength(11);
    expect(report.passed).toBe(true);
    // The run really exercised what it claims to.
    expect(report.kills).toBeGreaterThanOrEqual(1);
    expect(Object.values(report.interrupted).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThanOrEqual(1);
    expect(report.counts.payout_double.ok).toBeGreaterThanOrEqual(1);
    expect(report.counts.purchase.ok).toBeGreaterThan(50);
    expect(report.counts.withdrawal_request.ok).toBeGreaterThan(20);
    expect(report.payoutContractDays).toBeGreaterThan(0);
    expect(report.counts.stripe_replay.ok).toBeGreaterThan(0);
  }, 900_000);
});

describe("invariant checker", () => {
  let built: BuiltWorld;
  beforeAll(async () => {
    built = await buildWorld({ customers: 2, listings: 1 });
  });
  afterAll(async () => {
    await built?.drop();
  });

  it("passes on a sound world and reports FAIL on every kind of broken row", async () => {
    const { prisma, world } = built;
    const customer = world.customers[0]!;
    const listing = world.listings[0]!;
    const body = { listingId: listing.id, hashrate: "10", days: 3, paymentMethod: "BALANCE_USD" };
    const bought = await testPurchase(prisma, customer, body, { ip: null, origin: "http://sim.invalid" });
    expect(bought.status).toBe(201);
    const contractId = "contractId" in bought.body ? bought.body.contractId : "";

    const sound = await checkInvariants(prisma);
    expect(sound.filter((r) => !r.ok).map(formatInvariant)).toEqual([]);

    await prisma.$transaction(async (tx) => {
      // Triggers off for this transaction: the guards the database keeps would refuse all of this.
      await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
      const [usd] = await tx.$queryRaw<{ id: string; balance: string }[]>`
        SELECT id, balance::text AS balance FROM ledger_accounts WHERE type = 'USER_AVAILABLE' AND asset = 'USD' AND user_id = ${customer.id}::uuid`;
      const [clearing] = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM ledger_accounts WHERE type = 'STRIPE_CLEARING' AND asset = 'USD'`;
      // An unbalanced journal (one posting): breaks the balance and the cached balance.
      const [lonely] = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO journal_transactions (kind, description, reference_type, reference_id)
        VALUES ('ADJUSTMENT', 'broken', 'test', 'unbalanced') RETURNING id`;
      await tx.$executeRaw`INSERT INTO postings (journal_id, account_id, asset, amount) VALUES (${lonely!.id}::uuid, ${clearing!.id}::uuid, 'USD', 5)`;
      // A balanced journal that takes the customer's USD below zero.
      const [overdraft] = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO journal_transactions (kind, description, reference_type, reference_id)
        VALUES ('ADJUSTMENT', 'overdraft', 'test', 'overdraft') RETURNING id`;
      const amount = BigInt(usd!.balance) + 2n; // the orphan payout below gives 1 back: still -1
      await tx.$executeRaw`
        INSERT INTO postings (journal_id, account_id, asset, amount)
        VALUES (${overdraft!.id}::uuid, ${usd!.id}::uuid, 'USD', ${-amount}::numeric), (${overdraft!.id}::uuid, ${clearing!.id}::uuid, 'USD', ${amount}::numeric)`;
      // A rig allocated beyond its nominal.
      const [rig] = await tx.$queryRaw<{ id: string; nominal: bigint }[]>`
        SELECT r.id, r.nominal_hashrate_hs AS nominal FROM rigs r JOIN allocations a ON a.rig_id = r.id WHERE a.contract_id = ${contractId}::uuid LIMIT 1`;
      await tx.$executeRaw`
        INSERT INTO allocations (contract_id, rig_id, hashrate_hs, status) VALUES (${contractId}::uuid, ${rig!.id}::uuid, ${rig!.nominal}, 'LIVE')`;
      // A payout journal without its payout row.
      const [payout] = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO journal_transactions (kind, description, reference_type, reference_id)
        VALUES ('PAYOUT', 'orphan', 'daily_payout', '999999') RETURNING id`;
      await tx.$executeRaw`
        INSERT INTO postings (journal_id, account_id, asset, amount)
        VALUES (${payout!.id}::uuid, ${usd!.id}::uuid, 'USD', 1), (${payout!.id}::uuid, ${clearing!.id}::uuid, 'USD', -1)`;
      // A withdrawal whose hold was never taken.
      await tx.$executeRaw`
        INSERT INTO withdrawals (user_id, coin, address_id, address, amount_base, network_fee_base, net_base, status, review_required, idempotency_key)
        VALUES (${customer.id}::uuid, 'BTC', ${customer.addressId}::uuid, 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 100000, 10000, 90000, 'REQUESTED', false, ${randomUUID()})`;
      // An operator payout whose hold was never taken.
      await tx.$executeRaw`
        INSERT INTO operator_payouts (operator_id, amount_micro_usd, status, review_required, stripe_account_id, bank_last4, idempotency_key)
        VALUES (${customer.id}::uuid, 1000000, 'APPROVED', false, 'acct_broken', '0000', ${randomUUID()})`;
    });
    // A message left waiting in the outbox, and one the outbox never marked sent.
    const [waiting] = await prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO mail_outbox (user_id, to_address, kind, params)
      VALUES (${customer.id}::uuid, ${customer.email}, 'withdrawal.status', '{}'::jsonb) RETURNING id`;
    // An audit line changed after it was sealed.
    await checkInvariants(prisma); // seals
    await prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
      await tx.$executeRaw`UPDATE audit_log SET details = '{"tampered": true}'::jsonb WHERE id = (SELECT min(id) FROM audit_log)`;
    });

    const broken = await checkInvariants(prisma, {
      ackedEventIds: ["evt_never_stored"],
      mail: { deliveredIds: [`<${waiting!.id}@hashlease.test>`], interruptedSends: 0 },
    });
    const failed = Object.fromEntries(broken.map((r) => [r.name, r.ok ? "ok" : "FAIL"]));
    expect(failed).toEqual({
      "journals-balance": "FAIL",
      "no-negative-user-balance": "FAIL",
      "no-rig-oversold": "FAIL",
      "allocations-match-contracts": "FAIL",
      "one-payout-per-contract-day": "FAIL",
      "stripe-events-once": "FAIL",
      "withdrawal-holds-once": "FAIL",
      "operator-payout-holds": "FAIL",
      "cached-balances-equal-postings": "FAIL",
      "mail-outbox-once": "FAIL",
      "audit-chain": "FAIL",
    });
    for (const r of broken) expect(r.detail).not.toBe("");
  });
});
