"use server";

// Server actions of the operator area, each one formAction (app/_lib/form-action.ts): check the
// session and the OPERATOR role -> parse the form with zod -> one core function, one
// transaction (ownership is checked by the core against the signed-in operator's id, never an
// id from the form) -> revalidate. Refusals come back as form state; only unexpected failures throw.
import { z } from "zod";
import { doneState, formAction, revalidate } from "@/app/_lib/form-action";
import { formatAlgorithm, formatHashrate } from "@/components/format";
import type { OperatorFormState } from "@/components/operator/form-state";
import { humanize } from "@/components/ui";
import { db } from "@/lib/db/client";
import { createFacility, facilityInputSchema, updateFacility } from "@/lib/operator/facilities";
import { createListing, listingInputSchema, setListingPublished, updateListing } from "@/lib/operator/listings";
import { newRigSchema, parseRigFields, rigEditSchema, rigStatusSchema } from "@/lib/operator/rig-fields";
import { importRigCsv, MAX_RIG_CSV_BYTES } from "@/lib/operator/rig-import";
import { changeRigStatus } from "@/lib/operator/rig-status";
import { createRig, updateRig } from "@/lib/operator/rigs";
import { getSecrets } from "@/lib/secrets";
import { refuse } from "@/lib/shared/result";
import { issueRigCredentials } from "@/lib/stratum/credentials";
import { removeFacilityUpstream, setFacilityUpstream, upstreamInputSchema } from "@/lib/stratum/upstream-config";
import { hashrateWithExact, shortId } from "./_lib/format";

const isId = (value: string) => z.uuid().safeParse(value).success;
const notYours = (what: string) => refuse("NOT_FOUND", `This ${what} was not found among yours.`);

// Facilities -------------------------------------------------------------------------------

export const createFacilityAction = formAction({
  role: "OPERATOR",
  path: "/operator/facilities/new",
  schema: facilityInputSchema,
  run: ({ user, ip, input }) => createFacility(db(), { operatorId: user.id, input, ip }),
  done: { revalidate: "/operator", redirect: "/operator?notice=facility-created" },
});

export const updateFacilityAction = formAction({
  role: "OPERATOR",
  path: (facilityId: string) => `/operator/facilities/${encodeURIComponent(facilityId)}`,
  schema: facilityInputSchema,
  run: async ({ user, ip, input, args: [facilityId] }) =>
    isId(facilityId) ? updateFacility(db(), { operatorId: user.id, facilityId, input, ip }) : notYours("facility"),
  done: { revalidate: "/operator", redirect: "/operator?notice=facility-updated" },
});

const facilityPath = (facilityId: string) => `/operator/facilities/${encodeURIComponent(facilityId)}`;

/** Sets (or changes) the pool a facility's rigs of one coin mine for; the password is never refilled. */
export const setFacilityUpstreamAction = formAction({
  role: "OPERATOR",
  path: facilityPath,
  schema: upstreamInputSchema,
  secret: ["password"],
  run: async ({ user, ip, input, args: [facilityId] }) =>
    isId(facilityId)
      ? setFacilityUpstream(db(), {
          operatorId: user.id,
          facilityId,
          input,
          ring: (await getSecrets()).keyRing,
          ip,
        })
      : notYours("facility"),
  done: (result, { args: [facilityId] }) => {
    revalidate(facilityPath(facilityId));
    return doneState(
      `${result.coin} upstream ${result.created ? "saved" : "updated"}: rigs that connect from now on mine for this pool.`,
    );
  },
});

export const removeFacilityUpstreamAction = formAction({
  role: "OPERATOR",
  path: facilityPath,
  schema: z.object({ coin: upstreamInputSchema.shape.coin }),
  run: async ({ user, ip, input, args: [facilityId] }) =>
    isId(facilityId)
      ? removeFacilityUpstream(db(), { operatorId: user.id, facilityId, coin: input.coin, ip })
      : notYours("facility"),
  done: (result, { args: [facilityId] }) => {
    revalidate(facilityPath(facilityId));
    return doneState(`${result.coin} upstream removed: rigs that connect from now on mine in pool mode.`);
  },
});

// Rigs ---------------------------------------------------------------------------------------

const RIG_FIELDS = [
  "facilityId",
  "model",
  "serialNumber",
  "algorithm",
  "nominalHashrate",
  "hashrateUnit",
  "powerW",
  "status",
] as const;

/** The rig form's fields as text, parsed by parseRigFields (every bad field at once, the hashrate to exact H/s). */
function rigFields<S extends typeof newRigSchema | typeof rigEditSchema>(schema: S) {
  return z
    .object(
      Object.fromEntries(RIG_FIELDS.map((name) => [name, z.string()])) as Record<
        (typeof RIG_FIELDS)[number],
        z.ZodString
      >,
    )
    .transform((raw, ctx) => {
      const parsed = parseRigFields(schema, raw);
      if (parsed.ok) return parsed.value;
      for (const [field, message] of Object.entries(parsed.fieldErrors))
        ctx.addIssue({ code: "custom", path: [field], message });
      return z.NEVER;
    });
}

export const createRigAction = formAction({
  role: "OPERATOR",
  path: "/operator/rigs/new",
  schema: rigFields(newRigSchema),
  run: ({ user, ip, input }) => createRig(db(), { operatorId: user.id, input, ip }),
  done: { revalidate: "/operator", redirect: "/operator?notice=rig-created" },
});

export const updateRigAction = formAction({
  role: "OPERATOR",
  path: (rigId: string) => `/operator/rigs/${encodeURIComponent(rigId)}`,
  schema: rigFields(rigEditSchema),
  run: async ({ user, ip, input, args: [rigId] }) =>
    isId(rigId) ? updateRig(db(), { operatorId: user.id, rigId, input, ip }) : notYours("rig"),
  done: { revalidate: (_saved, [rigId]) => ["/operator", `/operator/rigs/${rigId}`], message: "Rig saved." },
});

export const changeRigStatusAction = formAction({
  role: "OPERATOR",
  path: (rigId: string) => `/operator/rigs/${encodeURIComponent(rigId)}`,
  schema: rigStatusSchema,
  run: async ({ user, ip, input, args: [rigId] }) =>
    isId(rigId) ? changeRigStatus(db(), { operatorId: user.id, rigId, status: input.status, ip }) : notYours("rig"),
  done: (result, { args: [rigId] }): OperatorFormState => {
    revalidate("/operator", `/operator/rigs/${rigId}`);
    if (!result.changed) return doneState(`The rig is already ${humanize(result.to).toLowerCase()}.`);
    const movedHs = result.moves.reduce((sum, m) => sum + m.hashrateHs - m.strandedHs, 0n);
    const strandedHs = result.stranded.reduce((sum, s) => sum + s.hashrateHs, 0n);
    const parts = [
      `Status changed from ${humanize(result.from).toLowerCase()} to ${humanize(result.to).toLowerCase()}.`,
    ];
    if (result.moves.length)
      parts.push(`${formatHashrate(movedHs)} of contracts moved to other active rigs of the listing.`);
    if (result.stranded.length)
      parts.push(`${formatHashrate(strandedHs)} could not be moved and stays on this rig (under-delivered).`);
    return doneState(parts.join(" "), {
      moved: result.moves
        .filter((m) => m.to.length > 0)
        .map((m) => ({
          contract: shortId(m.contractId),
          status: humanize(m.status),
          moved: hashrateWithExact(m.hashrateHs - m.strandedHs),
          to: `${m.to.length} ${m.to.length === 1 ? "rig" : "rigs"}`,
        })),
      stranded: result.stranded.map((s) => ({
        contract: shortId(s.contractId),
        status: humanize(s.status),
        hashrate: hashrateWithExact(s.hashrateHs),
      })),
    });
  },
});

export const importRigsAction = formAction({
  role: "OPERATOR",
  path: "/operator/rigs/import",
  schema: z.object({
    file: z
      .instanceof(File)
      .refine((f) => f.size > 0, "Choose a CSV file to upload.")
      .refine(
        (f) => f.size <= MAX_RIG_CSV_BYTES,
        "The file is larger than 1 MB. Split it into files of at most 5,000 rigs.",
      ),
  }),
  run: async ({ user, ip, input: { file } }) =>
    importRigCsv(db(), {
      operatorId: user.id,
      content: await file.text(),
      byteLength: file.size,
      fileName: file.name.slice(0, 200),
      ip,
    }),
  refused: (refusal): Partial<OperatorFormState> => ({
    importErrors: refusal.errors,
    importErrorCount: refusal.errorCount,
  }),
  done: (result, { input: { file } }): OperatorFormState => {
    revalidate("/operator");
    return doneState(
      `Imported ${result.imported.length} ${result.imported.length === 1 ? "rig" : "rigs"} from ${file.name}.`,
      {
        imported: result.imported.map((r) => ({
          line: r.line,
          facility: r.facilityName,
          model: r.model,
          serialNumber: r.serialNumber,
          algorithm: formatAlgorithm(r.algorithm),
          hashrate: formatHashrate(r.nominalHashrateHs),
          status: humanize(r.status),
        })),
      },
    );
  },
});

// Listings -----------------------------------------------------------------------------------

export const createListingAction = formAction({
  role: "OPERATOR",
  path: "/operator/listings/new",
  schema: listingInputSchema,
  run: ({ user, ip, input }) => createListing(db(), { operatorId: user.id, input, ip }),
  done: { revalidate: "/operator", redirect: (saved) => `/operator/listings/${saved.listingId}?notice=created` },
});

const listingPaths = (listingId: string) => ["/operator", `/operator/listings/${listingId}`, "/marketplace"];

export const updateListingAction = formAction({
  role: "OPERATOR",
  path: (listingId: string) => `/operator/listings/${encodeURIComponent(listingId)}`,
  schema: listingInputSchema,
  run: async ({ user, ip, input, args: [listingId] }) =>
    isId(listingId) ? updateListing(db(), { operatorId: user.id, listingId, input, ip }) : notYours("listing"),
  done: { revalidate: (_saved, [listingId]) => listingPaths(listingId), message: "Listing saved." },
});

export const setListingPublishedAction = formAction({
  role: "OPERATOR",
  path: (listingId: string) => `/operator/listings/${encodeURIComponent(listingId)}`,
  schema: z.object({ publish: z.enum(["yes", "no"], { error: "Choose to publish or unpublish." }) }),
  invalidMessage: () => "Choose to publish or unpublish.",
  run: async ({ user, ip, input, args: [listingId] }) =>
    isId(listingId)
      ? setListingPublished(db(), { operatorId: user.id, listingId, published: input.publish === "yes", ip })
      : notYours("listing"),
  done: {
    revalidate: (_saved, [listingId]) => listingPaths(listingId),
    message: (_saved, _args, { input }) =>
      input.publish === "yes"
        ? "Listing published: it is on the marketplace."
        : "Listing unpublished: it is off the marketplace; sold contracts run on.",
  },
});

// Stratum login ----------------------------------------------------------------------------

export interface StratumLoginExtras {
  /** The login, shown once right after it is issued or rotated. */
  login?: { workerName: string; secret: string };
}

export const issueStratumLoginAction = formAction({
  role: "OPERATOR",
  path: (rigId: string) => `/operator/rigs/${encodeURIComponent(rigId)}`,
  schema: z.object({}),
  run: async ({ user, ip, args: [rigId] }) => {
    const issued = isId(rigId)
      ? await issueRigCredentials(db(), { rigId, operatorId: user.id, actorId: user.id, ip, via: "operator_ui" })
      : null;
    return issued ? { ok: true as const, ...issued } : notYours("rig");
  },
  done: (result, { args: [rigId] }) => {
    revalidate(`/operator/rigs/${rigId}`);
    return doneState<StratumLoginExtras>(
      result.rotated
        ? "New secret issued: the old one no longer works. Update your miner with the password below."
        : "Stratum login issued. Copy the password now: it is shown only once.",
      { login: { workerName: result.workerName, secret: result.secret } },
    );
  },
});
