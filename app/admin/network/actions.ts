"use server";

// Server actions of /admin/network, each one formAction (app/_lib/form-action.ts): check the
// session's ADMIN role (the core checks the actor again in its transaction) -> parse the input
// -> one core function, one transaction, audited -> revalidate. Refusals come back as form state.
import { z } from "zod";
import { doneState, formAction, revalidate } from "@/app/_lib/form-action";
import type { AdminFormState } from "@/components/admin/form-state";
import { formatInteger } from "@/components/format";
import { db } from "@/lib/db/client";
import { Asset } from "@/lib/generated/prisma/enums";
import { importSnapshotCsv, MAX_SNAPSHOT_CSV_BYTES } from "@/lib/network/csv-import";
import { parseSnapshot, SNAPSHOT_FIELD_NAMES } from "@/lib/network/fields";
import { approveHeldSnapshot } from "@/lib/network/live/review";
import { saveSnapshot, snapshotCoins } from "@/lib/network/snapshots";
import { dayText, parseDay } from "@/lib/shared/days";
import { invalid, type FieldErrors } from "@/lib/shared/result";

const PATH = "/admin/network";

/** The warning every correction of a settled day carries. */
function settledWarning(coin: string, day: string, payouts: number): string {
  return `${day} already has ${formatInteger(payouts)} settled ${coin} ${payouts === 1 ? "payout" : "payouts"}. Settled payouts keep the inputs they were computed with and are not changed; the corrected figures apply only to contracts of that day not settled yet.`;
}

/** The form's fields as text; the figures are parsed against the coins' units (parseSnapshot). */
const snapshotTexts = z.object(
  Object.fromEntries(SNAPSHOT_FIELD_NAMES.map((name) => [name, z.string()])) as Record<
    (typeof SNAPSHOT_FIELD_NAMES)[number],
    z.ZodString
  >,
);

export const saveSnapshotAction = formAction({
  role: "ADMIN",
  twoFactor: "enter network data",
  path: PATH,
  schema: snapshotTexts,
  run: async ({ user, ip, input }) => {
    const prisma = db();
    const parsed = parseSnapshot(input, await snapshotCoins(prisma));
    if (!parsed.ok) {
      const fieldErrors = parsed.fieldErrors as FieldErrors;
      const count = Object.keys(fieldErrors).length;
      return invalid(
        count === 1
          ? "Check the field marked below; nothing was saved."
          : `Check the ${count} fields marked below; nothing was saved.`,
        fieldErrors,
      );
    }
    return saveSnapshot(prisma, { actorId: user.id, snapshot: parsed.value, ip });
  },
  done: (result): AdminFormState => {
    const day = dayText(result.snapshot.day);
    revalidate(PATH, "/admin");
    const message =
      result.outcome === "created"
        ? `Snapshot for ${result.snapshot.coin} on ${day} saved.`
        : result.outcome === "updated"
          ? `Snapshot for ${result.snapshot.coin} on ${day} corrected.`
          : `Nothing changed: the snapshot for ${result.snapshot.coin} on ${day} already has these figures.`;
    return doneState(message, {
      warning:
        result.outcome === "updated" && result.payoutsOnDay > 0
          ? settledWarning(result.snapshot.coin, day, result.payoutsOnDay)
          : undefined,
    });
  },
});

const CHOOSE_FILE = "Choose a CSV file to upload.";

export const importSnapshotsAction = formAction({
  role: "ADMIN",
  twoFactor: "import network data",
  path: PATH,
  schema: z.object({
    file: z
      .instanceof(File, { error: CHOOSE_FILE })
      .refine((f) => f.size > 0, CHOOSE_FILE)
      .refine(
        (f) => f.size <= MAX_SNAPSHOT_CSV_BYTES,
        "The file is larger than 1 MB. Split it into files of at most 5,000 rows.",
      ),
  }),
  invalidMessage: (fieldErrors) => fieldErrors.file ?? CHOOSE_FILE,
  run: async ({ user, ip, input: { file } }) =>
    importSnapshotCsv(db(), {
      actorId: user.id,
      content: await file.text(),
      byteLength: file.size,
      fileName: file.name.slice(0, 200),
      ip,
    }),
  refused: (refusal): Partial<AdminFormState> => {
    if (refusal.code !== "INVALID" || !("errors" in refusal)) return { fieldErrors: { file: refusal.message } };
    const fileOnly = refusal.errors.length === 1 && refusal.errors[0]!.line === 0;
    return {
      fieldErrors: fileOnly ? { file: refusal.message } : {},
      importErrors: fileOnly ? undefined : refusal.errors,
      importErrorCount: refusal.errorCount,
    };
  },
  done: (result, { input: { file } }): AdminFormState => {
    revalidate(PATH, "/admin");
    const settled = result.rows.filter((r) => r.outcome === "updated" && r.payoutsOnDay > 0);
    return doneState(
      `Imported ${file.name}: ${result.created} new, ${result.updated} corrected, ${result.unchanged} unchanged.`,
      {
        lines: result.rows.map((r) => `Line ${r.line}: ${r.coin} ${r.day} — ${r.outcome}`),
        warning: settled.length
          ? `Corrected days with settled payouts (they keep the inputs they were computed with and are not changed): ${settled
              .map(
                (r) =>
                  `${r.coin} ${r.day} (${formatInteger(r.payoutsOnDay)} ${r.payoutsOnDay === 1 ? "payout" : "payouts"})`,
              )
              .join(", ")}.`
          : undefined,
      },
    );
  },
});

/** Approves a coin-day held for review (fetched figures past the threshold): the payout run may settle it. */
export const approveSnapshotAction = formAction({
  role: "ADMIN",
  twoFactor: "approve network data for settlement",
  path: PATH,
  schema: z.object({ coin: z.enum(Asset), day: z.string() }),
  run: async ({ user, ip, input }) => {
    const day = parseDay(input.day);
    if (!day) return invalid(`“${input.day}” is not a UTC day (YYYY-MM-DD).`);
    return approveHeldSnapshot(db(), { actorId: user.id, coin: input.coin, day, ip });
  },
  // The approved card leaves the page, so the confirmation is the page's notice.
  done: {
    revalidate: [PATH, "/admin"],
    redirect: (result) => `${PATH}?coin=${result.coin}&approved=${result.day}`,
  },
});
