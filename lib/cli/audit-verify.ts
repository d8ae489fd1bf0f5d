// npm run audit:verify — seals any lines still waiting, then walks the hash chain end to end.
import { sealAuditLog, verifyAuditChain } from "../audit/audit";
import { createPrismaClient } from "../db/client";
import { withDatabase } from "../db/embedded";

await withDatabase(async (url) => {
  const prisma = createPrismaClient(url);
  try {
    const sealed = await sealAuditLog(prisma);
    const result = await verifyAuditChain(prisma);
    if (result.ok) {
      console.log(
        `audit chain verified: ${result.lines} lines, unbroken (${sealed} sealed just now, ${result.unsealed} arrived meanwhile)`,
      );
    } else {
      const id = result.brokenAtId === null ? "" : `, id ${result.brokenAtId}`;
      console.error(
        `audit chain BROKEN at line ${result.brokenAtSeq} (seq ${result.brokenAtSeq}${id}: ${result.reason}); ${result.lines} lines verified before it`,
      );
      process.exitCode = 1;
    }
  } finally {
    await prisma.$disconnect();
  }
});
