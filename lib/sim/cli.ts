// npm run sim -- [--ops 10000] [--seed N] [--workers 4] [--lanes 4] [--kill-rate 0.03]
// The randomized money simulation against real PostgreSQL (DATABASE_URL's server; a fresh
// database is created beside it and dropped afterwards). Without --seed a random seed is
// drawn and printed; the exit code is 1 when any invariant or operation failed.
import { parseArgs } from "node:util";
import { randomSeed } from "./random";
import { formatReport, runSimulation } from "./run";

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} must be a whole number >= 1 (got ${text}).`);
    process.exit(2);
  }
  return value;
}

const { values } = parseArgs({
  options: {
    ops: { type: "string" },
    seed: { type: "string" },
    workers: { type: "string" },
    lanes: { type: "string" },
    "kill-rate": { type: "string" },
  },
});

if (!process.env.DATABASE_URL) {
  console.error(
    "npm run sim needs a PostgreSQL server: set DATABASE_URL (a fresh database is created on it and dropped afterwards).",
  );
  process.exit(2);
}
const seed = values.seed === undefined ? randomSeed() : Number(values.seed);
if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
  console.error(`--seed must be a whole number from 0 to 2^32-1 (got ${values.seed}).`);
  process.exit(2);
}
const killRate = values["kill-rate"] === undefined ? undefined : Number(values["kill-rate"]);
if (killRate !== undefined && !(killRate >= 0 && killRate <= 1)) {
  console.error(`--kill-rate must be between 0 and 1 (got ${values["kill-rate"]}).`);
  process.exit(2);
}
const options = {
  ops: positiveInt("ops", values.ops, 10_000),
  seed,
  workers: positiveInt("workers", values.workers, 4),
  lanes: positiveInt("lanes", values.lanes, 4),
  ...(killRate === undefined ? {} : { killRate }),
};
console.log(
  `simulation: seed ${seed}${values.seed === undefined ? " (random)" : ""}, ${options.ops} operations, ${options.workers} workers x ${options.lanes} actors`,
);
try {
  const report = await runSimulation({ ...options, log: (line) => console.log(line) });
  for (const line of formatReport(report)) console.log(line);
  process.exitCode = report.passed ? 0 : 1;
} catch (error) {
  console.error(error);
  console.error(
    `simulation crashed — seed ${seed}: npm run sim -- --ops ${options.ops} --seed ${seed} --workers ${options.workers}`,
  );
  process.exitCode = 1;
}
