// The benches' shared helpers that shape their figures: the percentile, the app's CPU time
// read from /proc (process and descendants), and the result line `npm run bench` parses.
import { spawn } from "node:child_process";
import { afterEach, describe, expect, it, vi } from "vitest";
import { percentile, printResult, processTreeCpuSeconds, RESULT_PREFIX, type BenchResult } from "./server";

/** Spins until this process has used `ms` more CPU time (not wall time: the machine may be busy). */
function burn(ms: number) {
  const start = process.cpuUsage();
  let x = 0;
  while (true) {
    for (let i = 0; i < 10_000; i++) x += Math.sqrt(x + 1);
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) return x;
  }
}

afterEach(() => vi.restoreAllMocks());

describe("percentile (nearest rank)", () => {
  it("picks the smallest value with at least p % of the samples at or below it", () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe.runIf(process.platform === "linux")("processTreeCpuSeconds", () => {
  it("counts this process's CPU time", () => {
    const before = processTreeCpuSeconds(process.pid)!;
    burn(300);
    const after = processTreeCpuSeconds(process.pid)!;
    expect(after - before).toBeGreaterThanOrEqual(0.28);
  });

  it("counts a child's CPU time with its parent's, and nothing for an unknown pid", async () => {
    // The child burns 0.6 s of CPU, says so, then idles until killed.
    const script =
      "let x = 0; while (process.cpuUsage().user < 600000) x += Math.sqrt(x + 1); console.log('done'); setTimeout(() => {}, 60000);";
    const child = spawn(process.execPath, ["-e", script]);
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", () => resolve());
        child.on("exit", (code) => reject(new Error(`child exited (${code})`)));
      });
      const own = processTreeCpuSeconds(child.pid!)!;
      const tree = processTreeCpuSeconds(process.pid)!;
      expect(own).toBeGreaterThanOrEqual(0.55);
      expect(tree).toBeGreaterThanOrEqual(own);
      expect(processTreeCpuSeconds(2 ** 22 + 12345)).toBeNull();
    } finally {
      child.kill("SIGKILL");
    }
  });
});

describe("printResult", () => {
  it("prints one line that parses back to the result", () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const result: BenchResult = {
      bench: "pages",
      metrics: [{ name: "/dashboard p95", value: 42.5, unit: "ms", target: "< 100 ms", met: true }],
      load: { before: "1.00 2.00 3.00", after: "1.50 2.00 3.00" },
      ok: true,
    };
    printResult(result);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(RESULT_PREFIX)).toBe(true);
    expect(lines[0]).not.toContain("\n");
    expect(JSON.parse(lines[0]!.slice(RESULT_PREFIX.length))).toEqual(result);
  });
});
