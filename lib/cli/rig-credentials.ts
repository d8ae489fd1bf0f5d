// npm run rig-credentials -- --rig <rigId>
// Issues the rig's Stratum login, or rotates its secret (the worker name stays), and prints
// `username password` on one line. The secret is shown only now; it is stored hashed.
// Audit-logged like the rig page's button.
import { parseArgs } from "node:util";
import { createPrismaClient } from "../db/client";
import { withDatabase } from "../db/embedded";
import { issueRigCredentials } from "../stratum/credentials";

const { values } = parseArgs({ options: { rig: { type: "string" } } });
if (!values.rig || !/^[0-9a-f-]{36}$/i.test(values.rig)) {
  console.error("Usage: npm run rig-credentials -- --rig <rigId>");
  process.exit(2);
}
const rigId = values.rig;

await withDatabase(async (url) => {
  const prisma = createPrismaClient(url);
  try {
    const issued = await issueRigCredentials(prisma, { rigId, operatorId: null, actorId: null, via: "cli" });
    if (!issued) {
      console.error(`No rig ${rigId}.`);
      process.exitCode = 1;
      return;
    }
    console.log(`${issued.workerName} ${issued.secret}`);
    if (issued.rotated) console.error("The previous secret of this rig no longer works.");
  } finally {
    await prisma.$disconnect();
  }
});
