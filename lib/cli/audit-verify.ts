// npm run audit:verify — seals any lines still waiting, then checks the signed checkpoints in
// the sink and walks the keyed hash chain end to end, naming what broke it: a rewrite, a
// truncation, a missing or a forged checkpoint (lib/audit/audit.ts). `-- --checkpoint` first
// publishes a checkpoint of the current head (on demand, as the job does every 5 minutes).
import { CHAIN_PROBLEM_LABELS, sealAuditLog, verifyAuditChain } from "../audit/audit";
import { checkpointSinkFromEnv, publishAuditCheckpoint } from "../audit/checkpoints";
import { createPrismaClient } from "../db/client";
import { withDatabase } from "../db/embedded";

await withDatabase(async (url) => {
  const prisma = createPrismaClient(url);
  try {
    const sealed = await sealAuditLog(prisma);
    const sink = checkpointSinkFromEnv();
    if (process.argv.includes("--checkpoint")) {
      const checkpoint = await publishAuditCheckpoint(prisma, { sink, log: () => {} });
      console.log(
        checkpoint
          ? `checkpoint ${checkpoint.number} published to ${sink.name}: ${checkpoint.lines} lines, head seq ${checkpoint.headSeq}`
          : "no new checkpoint: the head has not moved since the last one",
      );
    }
    const result = await verifyAuditChain(prisma, { sink });
    if (result.ok) {
      console.log(
        `audit chain verified: ${result.lines} lines, unbroken (${sealed} sealed just now, ${result.unsealed} arrived meanwhile); ` +
          `${result.checkpoints} signed checkpoints in ${sink.name} agree, ${result.sinceCheckpoint} lines since the last one`,
      );
    } else {
      const id = result.brokenAtId === null ? "" : `, id ${result.brokenAtId}`;
      console.error(
        `audit chain BROKEN (${CHAIN_PROBLEM_LABELS[result.problem]}) at line ${result.brokenAtSeq} (seq ${result.brokenAtSeq}${id}: ${result.reason}); ${result.lines} lines verified before it`,
      );
      process.exitCode = 1;
    }
  } finally {
    await prisma.$disconnect();
  }
});
