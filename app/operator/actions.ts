"use server";

// Server actions of the operator area. Each one: parse the form with zod -> check the
// session and the OPERATOR role (ownership is checked by the core against the signed-in
// operator's id, never an id from the form) -> one core function, one transaction ->
// revalidate. Refusals come back as form state; only unexpected failures throw.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { formatAlgorithm, formatHashrate } from "@/components/format";
import type { OperatorFormState } from "@/components/operator/form-state";
import { humanize } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { createFacility, facilityInputSchema, updateFacility } from "@/lib/operator/facilities";
import { createListing, listingInputSchema, setListingPublished, updateListing } from "@/lib/operator/listings";
import { parseInput, type Refusal } from "@/lib/shared/result";
import { importRigCsv, MAX_RIG_CSV_BYTES } from "@/lib/operator/rig-import";
import { newRigSchema, parseRigFields, rigEditSchema, rigStatusSchema } from "@/lib/operator/rig-fields";
import { changeRigStatus } from "@/lib/operator/rig-status";
import { createRig, updateRig } from "@/lib/operator/rigs";
import { hashrateWithExact, shortId } from "./_lib/format";
import { requestIp } from "@/lib/http/next";

const id = z.uuid();

function texts(formData: FormData, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, typeof formData.get(name) === "string" ? (formData.get(name) as string) : ""]));
}

function refused(refusal: Pick<Refusal, "message" | "fieldErrors">, values: OperatorFormState["values"]): OperatorFormState {
  return { status: "error", message: refusal.message, fieldErrors: refusal.fieldErrors ?? {}, values };
}

function invalidForm(fieldErrors: Record<string, string>, values: OperatorFormState["values"]): OperatorFormState {
  const count = Object.keys(fieldErrors).length;
  return refused({ message: count === 1 ? "Check the field marked below." : `Check the ${count} fields marked below.`, fieldErrors }, values);
}

async function operator(returnTo: string) {
  return requireRole("OPERATOR", returnTo);
}

// Facilities -------------------------------------------------------------------------------

const FACILITY_FIELDS = ["name", "location", "countryCode", "powerPrice"] as const;

export async function createFacilityAction(_state: OperatorFormState, formData: FormData): Promise<OperatorFormState> {
  const values = texts(formData, FACILITY_FIELDS);
  const parsed = parseInput(facilityInputSchema, values);
  if (!parsed.ok) return refused(parsed, values);
  const user = await operator("/operator/facilities/new");
  const result = await createFacility(db(), { operatorId: user.id, input: parsed.value, ip: await requestIp() });
  if (!result.ok) return refused(result, values);
  revalidatePath("/operator");
  redirect("/operator?notice=facility-created");
}

export async function updateFacilityAction(facilityId: string, _state: OperatorFormState, formData: FormData): Promise<OperatorFormState> {
  const values = texts(formData, FACILITY_FIELDS);
  const parsed = parseInput(facilityInputSchema, values);
  if (!parsed.ok) return refused(parsed, values);
  const user = await operator(`/operator/facilities/${encodeURIComponent(facilityId)}`);
  if (!id.safeParse(facilityId).success) return refused({ message: "This facility was not found among yours." }, values);
  const result = await updateFacility(db(), { operatorId: user.id, facilityId, input: parsed.value, ip: await requestIp() });
  if (!result.ok) return refused(result, values);
  revalidatePath("/operator");
  redirect("/operator?notice=facility-updated");
}

// Rigs ---------------------------------------------------------------------------------------

const RIG_FIELDS = ["facilityId", "model", "serialNumber", "algorithm", "nominalHashrate", "hashrateUnit", "powerW", "status"] as const;

export async function createRigAction(_state: OperatorFormState, formData: FormData): Promise<OperatorFormState> {
  const values = texts(formData, RIG_FIELDS);
  const parsed = parseRigFields(newRigSchema, values);
  if (!parsed.ok) return invalidForm(parsed.fieldErrors, values);
  const user = await operator("/operator/rigs/new");
  const result = await createRig(db(), { operatorId: user.id, input: parsed.value, ip: await requestIp() });
  if (!result.ok) return refused(result, values);
  revalidatePath("/operator");
  redirect("/operator?notice=rig-created");
}

export async function updateRigAction(rigId: string, _state: OperatorFormState, formData: FormData): Promise<OperatorFormState> {
  const values = texts(formData, RIG_FIELDS);
  const parsed = parseRigFields(rigEditSchema, values);
  if (!parsed.ok) return invalidForm(parsed.fieldErrors, values);
  const user = await operator(`/operator/rigs/${encodeURIComponent(rigId)}`);
  if (!id.safeParse(rigId).success) return refused({ message: "This rig was not found among yours." }, values);
  const result = await updateRig(db(), { operatorId: user.id, rigId, input: parsed.value, ip: await requestIp() });
  if (!result.ok) return refused(result, values);
  revalidatePath("/operator");
  revalidatePath(`/operator/rigs/${rigId}`);
  return { status: "done", message: "Rig saved.", fieldErrors: {}, values: {} };
}

export async function changeRigStatusAction(rigId: string, _state: OperatorFormState, formData: FormData): Promise<OperatorFormState> {
  const values = texts(formData, ["status"]);
  const parsed = parseInput(rigStatusSchema, values);
  if (!parsed.ok) return refused(parsed, values);
  const user = await operator(`/operator/rigs/${encodeURIComponent(rigId)}`);
  if (!id.safeParse(rigId).success) return refused({ message: "This rig was not found among yours." }, values);
  const result = await changeRigStatus(db(), { operatorId: user.id, rigId, status: parsed.value.status, ip: await requestIp() });
  if (!result.ok) return refused(result, values);
  revalidatePath("/operator");
  revalidatePath(`/operator/rigs/${rigId}`);
  if (!result.changed) return { status: "done", message: `The rig is already ${humanize(result.to).toLowerCase()}.`, fieldErrors: {}, values: {} };
  const movedHs = result.moves.reduce((sum, m) => sum + m.hashrateHs - m.strandedHs, 0n);
  const strandedHs = result.stranded.reduce((sum, s) => sum + s.hashrateHs, 0n);
  const parts = [`Status changed from ${humanize(result.from).toLowerCase()} to ${humanize(result.to).toLowerCase()}.`];
  if (result.moves.length) parts.push(`${formatHashrate(movedHs)} of contracts moved to other active rigs of the listing.`);
  if (result.stranded.length) parts.push(`${formatHashrate(strandedHs)} could not be moved and stays on this rig (under-delivered).`);
  return {
    status: "done",
    message: parts.join(" "),
    fieldErrors: {},
    values: {},
    moved: result.moves
      .filter((m) => m.to.length > 0)
      .map((m) => ({
        contract: shortId(m.contractId),
        status: humanize(m.status),
        moved: hashrateWithExact(m.hashrateHs - m.strandedHs),
        to: `${m.to.length} ${m.to.length === 1 ? "rig" : "rigs"}`,
      })),
    stranded: result.stranded.map((s) => ({ contract: shortId(s.contractId), status: humanize(s.status), hashrate: hashrateWithExact(s.hashrateHs) })),
  };
}

export async function importRigsAction(_state: OperatorFormState, formData: FormData): Promise<OperatorFormState> {
  const file = formData.get("file");
  const upload = z.instanceof(File).refine((f) => f.size > 0, "Choose a CSV file to upload.").safeParse(file);
  if (!upload.success) return invalidForm({ file: upload.error.issues[0]?.message ?? "Choose a CSV file to upload." }, {});
  const user = await operator("/operator/rigs/import");
  const csv = upload.data;
  if (csv.size > MAX_RIG_CSV_BYTES) {
    return invalidForm({ file: "The file is larger than 1 MB. Split it into files of at most 5,000 rigs." }, {});
  }
  const result = await importRigCsv(db(), {
    operatorId: user.id,
    content: await csv.text(),
    byteLength: csv.size,
    fileName: csv.name.slice(0, 200),
    ip: await requestIp(),
  });
  if (!result.ok) {
    return {
      status: "error",
      message: result.message,
      fieldErrors: {},
      values: {},
      importErrors: result.errors,
      importErrorCount: result.errorCount,
    };
  }
  revalidatePath("/operator");
  return {
    status: "done",
    message: `Imported ${result.imported.length} ${result.imported.length === 1 ? "rig" : "rigs"} from ${csv.name}.`,
    fieldErrors: {},
    values: {},
    imported: result.imported.map((r) => ({
      line: r.line,
      facility: r.facilityName,
      model: r.model,
      serialNumber: r.serialNumber,
      algorithm: formatAlgorithm(r.algorithm),
      hashrate: formatHashrate(r.nominalHashrateHs),
      status: humanize(r.status),
    })),
  };
}

// Listings -----------------------------------------------------------------------------------

const LISTING_FIELDS = ["coin", "title", "price", "maintenanceFee", "minDays", "maxDays", "minHashrate"] as const;

function listingValues(formData: FormData) {
  const rigIds = formData.getAll("rigIds").filter((v): v is string => typeof v === "string");
  return { raw: { ...texts(formData, LISTING_FIELDS), rigIds }, values: { ...texts(formData, LISTING_FIELDS), rigIds } };
}

export async function createListingAction(_state: OperatorFormState, formData: FormData): Promise<OperatorFormState> {
  const { raw, values } = listingValues(formData);
  const parsed = parseInput(listingInputSchema, raw);
  if (!parsed.ok) return refused(parsed, values);
  const user = await operator("/operator/listings/new");
  const result = await createListing(db(), { operatorId: user.id, input: parsed.value, ip: await requestIp() });
  if (!result.ok) return refused(result, values);
  revalidatePath("/operator");
  redirect(`/operator/listings/${result.listingId}?notice=created`);
}

export async function updateListingAction(listingId: string, _state: OperatorFormState, formData: FormData): Promise<OperatorFormState> {
  const { raw, values } = listingValues(formData);
  const parsed = parseInput(listingInputSchema, raw);
  if (!parsed.ok) return refused(parsed, values);
  const user = await operator(`/operator/listings/${encodeURIComponent(listingId)}`);
  if (!id.safeParse(listingId).success) return refused({ message: "This listing was not found among yours." }, values);
  const result = await updateListing(db(), { operatorId: user.id, listingId, input: parsed.value, ip: await requestIp() });
  if (!result.ok) return refused(result, values);
  revalidatePath("/operator");
  revalidatePath(`/operator/listings/${listingId}`);
  revalidatePath("/marketplace");
  return { status: "done", message: "Listing saved.", fieldErrors: {}, values: {} };
}

export async function setListingPublishedAction(listingId: string, _state: OperatorFormState, formData: FormData): Promise<OperatorFormState> {
  const parsed = z.object({ publish: z.enum(["yes", "no"]) }).safeParse({ publish: formData.get("publish") });
  if (!parsed.success) return refused({ message: "Choose to publish or unpublish." }, {});
  const user = await operator(`/operator/listings/${encodeURIComponent(listingId)}`);
  if (!id.safeParse(listingId).success) return refused({ message: "This listing was not found among yours." }, {});
  const published = parsed.data.publish === "yes";
  const result = await setListingPublished(db(), { operatorId: user.id, listingId, published, ip: await requestIp() });
  if (!result.ok) return refused(result, {});
  revalidatePath("/operator");
  revalidatePath(`/operator/listings/${listingId}`);
  revalidatePath("/marketplace");
  return {
    status: "done",
    message: published ? "Listing published: it is on the marketplace." : "Listing unpublished: it is off the marketplace; sold contracts run on.",
    fieldErrors: {},
    values: {},
  };
}
