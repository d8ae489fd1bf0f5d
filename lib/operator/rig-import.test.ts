import { describe, expect, it } from "vitest";
import { createOperator } from "../testing/operator-fixtures";
import { withTestDatabase } from "../testing/test-database";
import {
  checkRigCsv,
  importRigCsv,
  MAX_RIG_CSV_BYTES,
  MAX_RIG_CSV_ROWS,
  RIG_CSV_COLUMNS,
  sampleRigCsv,
} from "./rig-import";

const t = withTestDatabase();

const HEADER = RIG_CSV_COLUMNS.join(",");
let tag = 0;
const unique = () => `${Date.now().toString(36)}-${(tag += 1)}`;

function csv(...rows: string[]) {
  return `${HEADER}\n${rows.join("\n")}\n`;
}

async function upload(operatorId: string, content: string) {
  return importRigCsv(t.prisma, { operatorId, content, byteLength: Buffer.byteLength(content), fileName: "rigs.csv" });
}

async function rigCount(operatorId: string) {
  return t.prisma.rig.count({ where: { facility: { operatorId } } });
}

describe("importing rigs from CSV", () => {
  it("a good file registers every rig in one go, with one audit line", async () => {
    const op = await createOperator(t.prisma, "Luleå Data Hall");
    const s = unique();
    const content = csv(
      `Luleå Data Hall,Antminer S21 Pro,A-${s},SHA256,234.5,TH/s,3510,ACTIVE`,
      `luleå data hall,Antminer L9,B-${s},scrypt,16,gh/s,3360,maintenance`,
      `"Luleå Data Hall","AMD EPYC 9654 node, 2U",C-${s},RandomX,110.5,kH/s,420,`,
    );
    const result = await upload(op.operatorId, content);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.imported.map((r) => [r.line, r.model, r.algorithm, r.nominalHashrateHs, r.status])).toEqual([
      [2, "Antminer S21 Pro", "SHA256", 234_500_000_000_000n, "ACTIVE"],
      [3, "Antminer L9", "SCRYPT", 16_000_000_000n, "MAINTENANCE"],
      [4, "AMD EPYC 9654 node, 2U", "RANDOMX", 110_500n, "ACTIVE"],
    ]);
    const rigs = await t.prisma.rig.findMany({
      where: { facility: { operatorId: op.operatorId } },
      orderBy: { serialNumber: "asc" },
    });
    expect(rigs.map((r) => [r.serialNumber, r.facilityId, r.powerDrawW, r.listingId])).toEqual([
      [`A-${s}`, op.facilityId, 3510, null],
      [`B-${s}`, op.facilityId, 3360, null],
      [`C-${s}`, op.facilityId, 420, null],
    ]);
    const audit = await t.prisma.auditLog.findMany({ where: { actorId: op.operatorId } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "rigs.imported", details: { count: 3, fileName: "rigs.csv" } });
  });

  it("the sample file imports once its facility exists", async () => {
    const op = await createOperator(t.prisma, `Sample ${unique()}`);
    const facility = await t.prisma.facility.findUniqueOrThrow({ where: { id: op.facilityId } });
    // Serials are unique platform-wide: make the sample's own unique for this test.
    const content = sampleRigCsv(facility.name).replaceAll("-0001", `-${unique()}`);
    expect(await upload(op.operatorId, content)).toMatchObject({ ok: true, imported: [{}, {}, {}] });
  });

  it("lists every bad row with line, column and message, and imports nothing", async () => {
    const op = await createOperator(t.prisma);
    const s = unique();
    const content = csv(
      `Main Hall,Antminer S21,OK-${s},SHA256,200,TH/s,3500,ACTIVE`, // 2: good
      `Nowhere Hall,Antminer S21,F-${s},SHA256,200,TH/s,3500,ACTIVE`, // 3: unknown facility
      `Main Hall,,M-${s},SHA256,200,TH/s,3500,ACTIVE`, // 4: no model
      `Main Hall,Antminer S21,,SHA256,200,TH/s,3500,ACTIVE`, // 5: no serial
      `Main Hall,Antminer S21,AL-${s},SHA-3,200,TH/s,3500,ACTIVE`, // 6: algorithm
      `Main Hall,Antminer S21,H-${s},SHA256,"200,5",TH/s,3500,ACTIVE`, // 7: hashrate format
      `Main Hall,Antminer S21,HD-${s},SHA256,0.0001,kH/s,3500,ACTIVE`, // 8: too many decimals
      `Main Hall,Antminer S21,U-${s},SHA256,200,TH,3500,ACTIVE`, // 9: unit
      `Main Hall,Antminer S21,P-${s},SHA256,200,TH/s,3.5kW,ACTIVE`, // 10: power
      `Main Hall,Antminer S21,S-${s},SHA256,200,TH/s,3500,BROKEN`, // 11: status
      `Main Hall,Antminer S21,R-${s},SHA256,200,TH/s,3500,RETIRED`, // 12: retired on arrival
      `Main Hall,Antminer S21,X-${s},SHA256,200,TH/s,3500`, // 13: field count
      `Main Hall,Antminer S21,Z-${s},SHA256,0,TH/s,0,ACTIVE`, // 14: two fields bad
    );
    const result = await upload(op.operatorId, content);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.line, e.field])).toEqual([
      [3, "facility"],
      [4, "model"],
      [5, "serial_number"],
      [6, "algorithm"],
      [7, "nominal_hashrate"],
      [8, "nominal_hashrate"],
      [9, "hashrate_unit"],
      [10, "power_w"],
      [11, "status"],
      [12, "status"],
      [13, "row"],
      [14, "nominal_hashrate"],
      [14, "power_w"],
    ]);
    expect(result.errors[0]!.message).toBe("You have no facility named “Nowhere Hall”. Yours: “Main Hall”.");
    expect(result.errors[4]!.message).toContain("e.g. 234.5");
    expect(result.errors[5]!.message).toBe("Use at most 3 decimals in kH/s (whole H/s).");
    expect(result.errors[9]!.message).toBe("A new rig cannot start out retired.");
    expect(result.errors[10]!.message).toBe("This row has 7 fields; the header has 8.");
    expect(result.errorCount).toBe(13);
    expect(result.message).toBe("Nothing was imported: 13 problems in 12 rows. Fix the file and upload it again.");
    expect(await rigCount(op.operatorId)).toBe(0);
  });

  it("refuses duplicate serials within the file and against registered rigs", async () => {
    const op = await createOperator(t.prisma);
    const s = unique();
    expect(await upload(op.operatorId, csv(`Main Hall,Antminer S21,D-${s},SHA256,200,TH/s,3500,ACTIVE`))).toMatchObject(
      { ok: true },
    );

    const result = await upload(
      op.operatorId,
      csv(
        `Main Hall,Antminer S21,N-${s},SHA256,200,TH/s,3500,ACTIVE`, // 2: new
        `Main Hall,Antminer S21,D-${s},SHA256,200,TH/s,3500,ACTIVE`, // 3: registered already
        `Main Hall,Antminer S21,N-${s},SHA256,200,TH/s,3500,ACTIVE`, // 4: repeats line 2
        `Main Hall,Antminer S19,N-${s},SHA256,95,TH/s,3250,ACTIVE`, // 5: other model, same serial: a different machine
      ),
    );
    expect(result).toMatchObject({
      ok: false,
      errors: [
        {
          line: 3,
          field: "serial_number",
          message: `A rig of model “Antminer S21” with serial number “D-${s}” is already registered.`,
        },
        {
          line: 4,
          field: "serial_number",
          message: `Serial number “N-${s}” of model “Antminer S21” is already on line 2 of this file.`,
        },
      ],
    });
    // All or nothing: the good rows were not imported either.
    expect(await rigCount(op.operatorId)).toBe(1);
  });

  it("another operator's facility is not a facility of yours", async () => {
    const owner = await createOperator(t.prisma, `Private ${unique()}`);
    const facility = await t.prisma.facility.findUniqueOrThrow({ where: { id: owner.facilityId } });
    const intruder = await createOperator(t.prisma);
    const result = await upload(
      intruder.operatorId,
      csv(`${facility.name},Antminer S21,I-${unique()},SHA256,200,TH/s,3500,ACTIVE`),
    );
    expect(result).toMatchObject({ ok: false, errors: [{ line: 2, field: "facility" }] });
    expect(await rigCount(owner.operatorId)).toBe(0);
  });

  it("checks the header, emptiness, size and row limits", async () => {
    const facilities = [{ id: "f", name: "Main Hall" }];
    const fail = (text: string) => {
      const checked = checkRigCsv(text, facilities);
      return checked.ok ? null : checked.result;
    };
    expect(fail("")).toMatchObject({
      ok: false,
      errors: [{ line: 0, field: "file", message: expect.stringContaining("The file is empty") }],
    });
    expect(fail(`${HEADER}\n`)).toMatchObject({ ok: false, message: "The file has a header but no rigs." });
    expect(fail("facility,model,serial,algorithm,nominal_hashrate,hashrate_unit,power_w,status\nx")).toMatchObject({
      errors: [
        {
          line: 1,
          field: "header",
          message: expect.stringContaining("unknown column “serial”; missing column serial_number"),
        },
      ],
    });
    expect(fail(`${HEADER}\n"unclosed,1\n`)).toMatchObject({ errors: [{ line: 2, field: "file" }] });
    expect(fail(`${HEADER}\nMain Hall,Antminer S21,\uFFFD,SHA256,1,TH/s,1,ACTIVE\n`)).toMatchObject({
      message: expect.stringContaining("not UTF-8"),
    });

    const row = (i: number) => `Main Hall,Antminer S21,L-${i},SHA256,200,TH/s,3500,ACTIVE`;
    const many = csv(...Array.from({ length: MAX_RIG_CSV_ROWS + 1 }, (_, i) => row(i)));
    expect(fail(many)).toMatchObject({ message: "The file has 5,001 rigs; upload at most 5,000 per file." });
    // Columns in any order, header in any case.
    const reordered = `STATUS,${RIG_CSV_COLUMNS.slice(0, -1).join(",")}\nACTIVE,Main Hall,Antminer S21,Q-1,SHA256,200,TH/s,3500\n`;
    expect(checkRigCsv(reordered, facilities)).toMatchObject({
      ok: true,
      errors: [],
      rows: [{ serialNumber: "Q-1", status: "ACTIVE" }],
    });

    const op = await createOperator(t.prisma);
    const huge = `${HEADER}\n${"x".repeat(MAX_RIG_CSV_BYTES)}`;
    expect(await upload(op.operatorId, huge)).toMatchObject({
      ok: false,
      message: expect.stringContaining("larger than 1 MB"),
    });
  });

  it("imports the maximum of 5,000 rigs in one transaction", async () => {
    const op = await createOperator(t.prisma);
    const s = unique();
    const rows = Array.from(
      { length: MAX_RIG_CSV_ROWS },
      (_, i) => `Main Hall,Antminer S21 XP,MAX-${s}-${i},SHA256,270,TH/s,3645,ACTIVE`,
    );
    const content = csv(...rows);
    expect(Buffer.byteLength(content)).toBeLessThan(MAX_RIG_CSV_BYTES);
    const result = await upload(op.operatorId, content);
    expect(result).toMatchObject({ ok: true });
    expect(await rigCount(op.operatorId)).toBe(MAX_RIG_CSV_ROWS);
  });
});
