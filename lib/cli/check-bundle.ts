// npm run check:bundle [distDir] [--secrets file.json ...] — fails when the build's client
// output holds a secret of this deployment, secret-shaped text or server-only module code
// (lib/security/bundle-check.ts). The dist dir defaults to HASHLEASE_DIST_DIR or .next; the
// generated dev secrets of HASHLEASE_DATA_DIR (or .data) are always checked when present.
import path from "node:path";
import { collectSecretValues, formatFindings, scanClientBundle } from "../security/bundle-check";

const args = process.argv.slice(2);
const secretsFiles = [path.join(process.env.HASHLEASE_DATA_DIR ?? ".data", "secrets.json")];
let distDir = process.env.HASHLEASE_DIST_DIR ?? ".next";
for (let i = 0; i < args.length; i++) {
  const arg = args[i] ?? "";
  if (arg === "--secrets" && args[i + 1]) secretsFiles.push(args[++i] ?? "");
  else if (!arg.startsWith("--")) distDir = arg;
  else {
    console.error(`unknown option ${arg}; usage: npm run check:bundle [distDir] [--secrets file.json ...]`);
    process.exit(2);
  }
}

try {
  const secrets = collectSecretValues(process.env, secretsFiles);
  const result = scanClientBundle(distDir, secrets);
  console.log(`${formatFindings(result)}\n(${secrets.length} secret values of this deployment checked, in ${distDir})`);
  if (result.findings.length > 0) process.exitCode = 1;
} catch (error) {
  console.error(`bundle check: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
