// npm run bench [-- --full] [--only payouts,api] [--skip purchase]
// Runs the benchmarks one after another as child processes, each with its own output shown as
// it runs, and reads the one `BENCH_RESULT {...}` line each prints (lib/bench/server.ts):
//   payouts   npm run bench:payouts -- --contracts 100000 --naive-sample 1000 (--full: 1,000,000)
//   purchase  npm run bench:purchase
//   pages     npm run bench:pages
//   api       npm run bench:api
//   stratum   npm run bench:stratum
//   floor     npm run bench:floor
//   bundle    npm run bench:bundle (when package.json has that script; else "not measured"),
//             reading the build the other benches just made (.next-bench) when there is one
// Then prints one table: metric | figure | target | met?, the load average (1/5/15 min) before
// and after each bench's timed part and each bench's wall time, and the total duration. The
// machine may be shared: the figures move with the load printed beside them. Exit code 1 when
// a bench failed (crashed, a correctness check failed, or no result line); a missed target
// alone does not fail the run, it reads "MISSED" in the table.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { loadText, RESULT_PREFIX, runBench, type BenchResult } from "./server";

const NAMES = ["payouts", "purchase", "pages", "api", "stratum", "floor", "bundle"] as const;
type Name = (typeof NAMES)[number];

function usage(message: string): never {
  console.error(`${message}\nusage: npm run bench [-- --full] [--only ${NAMES.join(",")}] [--skip name,...]`);
  process.exit(2);
}

function parseArgs(argv: string[]): { full: boolean; names: Name[] } {
  let full = false;
  let names: Name[] = [...NAMES];
  const list = (text: string | undefined, flag: string): Name[] => {
    const items = (text ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (items.length === 0) usage(`${flag} needs a list of benches`);
    for (const item of items)
      if (!(NAMES as readonly string[]).includes(item)) usage(`unknown bench "${item}" (one of ${NAMES.join(", ")})`);
    return items as Name[];
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--full") full = true;
    else if (arg === "--only") {
      const only = list(argv[++i], arg);
      names = names.filter((n) => only.includes(n));
    } else if (arg === "--skip") {
      const skip = list(argv[++i], arg);
      names = names.filter((n) => !skip.includes(n));
    } else usage(`unknown argument: ${arg}`);
  }
  return { full, names };
}

interface Step {
  name: Name;
  command: string[];
  env?: Record<string, string>;
  /** Why the step is not run, when it is not. */
  skip?: string;
}

function steps(full: boolean, names: Name[]): Step[] {
  const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
  const contracts = full ? "1000000" : "100000";
  const all: Step[] = [
    { name: "payouts", command: ["run", "bench:payouts", "--", "--contracts", contracts, "--naive-sample", "1000"] },
    { name: "purchase", command: ["run", "bench:purchase"] },
    { name: "pages", command: ["run", "bench:pages"] },
    { name: "api", command: ["run", "bench:api"] },
    { name: "stratum", command: ["run", "bench:stratum"] },
    { name: "floor", command: ["run", "bench:floor"] },
    {
      name: "bundle",
      command: ["run", "bench:bundle"],
      // The production build the HTTP benches just served, when there is one.
      env: existsSync(".next-bench/BUILD_ID") ? { HASHLEASE_DIST_DIR: ".next-bench" } : undefined,
      skip: scripts["bench:bundle"] ? undefined : 'package.json has no "bench:bundle" script',
    },
  ];
  return all.filter((s) => names.includes(s.name));
}

interface Outcome {
  step: Step;
  seconds: number;
  exitCode: number | null;
  result: BenchResult | null;
  /** Load average when the child started (the result line has the timed part's). */
  loadAtStart: string;
}

function runStep(step: Step): Promise<Outcome> {
  const loadAtStart = loadText();
  const started = performance.now();
  console.log(`\n=== ${step.name}: npm ${step.command.join(" ")}   (load ${loadAtStart}) ===`);
  return new Promise((resolve) => {
    const child = spawn("npm", step.command, {
      env: { ...process.env, ...step.env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let result: BenchResult | null = null;
    let pending = "";
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith(RESULT_PREFIX)) continue;
        try {
          result = JSON.parse(line.slice(RESULT_PREFIX.length)) as BenchResult;
        } catch {
          console.error(`[bench] unreadable result line from ${step.name}`);
        }
      }
    });
    child.on("close", (code) => {
      if (pending.startsWith(RESULT_PREFIX)) result = JSON.parse(pending.slice(RESULT_PREFIX.length)) as BenchResult;
      resolve({ step, seconds: (performance.now() - started) / 1000, exitCode: code, result, loadAtStart });
    });
  });
}

function figure(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return "not measured";
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 0.1 ? 2 : 4;
  const number = value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit ? `${number} ${unit}` : number;
}

async function main() {
  const { full, names } = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const loadBefore = loadText();
  const outcomes: Outcome[] = [];
  for (const step of steps(full, names)) {
    if (step.skip) {
      outcomes.push({ step, seconds: 0, exitCode: null, result: null, loadAtStart: loadText() });
      continue;
    }
    outcomes.push(await runStep(step));
  }

  const rows: string[][] = [["bench", "metric", "figure", "target", "met?", "note"]];
  const benches: string[][] = [["bench", "status", "wall time", "load at start", "load timed part (before -> after)"]];
  let failed = false;
  for (const o of outcomes) {
    const status = o.step.skip
      ? `not measured: ${o.step.skip}`
      : o.result === null
        ? `FAILED: no result line (exit ${o.exitCode})`
        : o.exitCode !== 0 || !o.result.ok
          ? `FAILED (exit ${o.exitCode})`
          : "ok";
    if (!o.step.skip && status !== "ok") failed = true;
    benches.push([
      o.step.name,
      status,
      o.step.skip ? "-" : `${o.seconds.toFixed(0)} s`,
      o.loadAtStart,
      o.result ? `${o.result.load.before} -> ${o.result.load.after}` : "-",
    ]);
    if (!o.result) {
      rows.push([
        o.step.name,
        o.step.name === "bundle" ? "first-load JS per route" : "(all)",
        "not measured",
        o.step.name === "bundle" ? "<= 150 kB gzip" : "",
        "",
        status,
      ]);
      continue;
    }
    for (const m of o.result.metrics) {
      rows.push([
        o.step.name,
        m.name,
        figure(m.value, m.unit),
        m.target ?? "",
        m.target === undefined ? "" : m.met ? "met" : "MISSED",
        m.note ?? "",
      ]);
    }
    // bench:bundle also reports every route's figure.
    const routes = (o.result as BenchResult & { routes?: Record<string, number>; targetKb?: number }).routes;
    if (routes) {
      const target = (o.result as { targetKb?: number }).targetKb ?? 150;
      for (const [route, kb] of Object.entries(routes))
        rows.push([
          o.step.name,
          `  ${route}`,
          figure(kb, "kB gzip"),
          `<= ${target} kB`,
          kb <= target ? "met" : "MISSED",
          "",
        ]);
    }
  }
  const table = (data: string[][]) => {
    const widths = data[0]!.map((_, c) => Math.min(60, Math.max(...data.map((r) => (r[c] ?? "").length))));
    return data
      .map((r, i) => {
        const line = r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join(" | ");
        return i === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("-|-")}` : line;
      })
      .join("\n");
  };
  console.log(
    `\n=== npm run bench${full ? " --full" : ""}: ${cpus().length} cores, load average (1/5/15 min) ${loadBefore} at start, ${loadText()} at the end ===`,
  );
  console.log(table(rows));
  console.log("");
  console.log(table(benches));
  console.log(
    `\ntotal ${((performance.now() - started) / 60_000).toFixed(1)} min${failed ? "; at least one bench FAILED" : ""}`,
  );
  if (failed) process.exitCode = 1;
}

runBench(main);
