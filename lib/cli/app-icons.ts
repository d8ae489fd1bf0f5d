// Renders the installable app's PNG icons from app/icon.svg (the one source of the logo) with
// Debian's Chromium, the browser the e2e specs use: 192 and 512 px "any" icons with the logo's
// rounded corners, and a 512 px maskable one, full-bleed, whose logo keeps inside the 80 % safe
// zone a launcher's mask may leave (the glyph spans 50 % of the tile). The PNGs are committed;
// run this after changing the logo: npx tsx lib/cli/app-icons.ts
import { readFileSync } from "node:fs";
import { chromium } from "@playwright/test";

const svg = readFileSync("app/icon.svg", "utf8");
// Maskable: no rounded corners (the launcher masks the tile), so the background reaches the edges.
const maskable = svg.replace(/ rx="[^"]*"/, "");
if (maskable === svg) throw new Error("app/icon.svg has no rounded rect to square off");

const icons = [
  { file: "public/icons/icon-192.png", size: 192, svg },
  { file: "public/icons/icon-512.png", size: 512, svg },
  { file: "public/icons/icon-maskable-512.png", size: 512, svg: maskable },
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
try {
  for (const icon of icons) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    const sized = icon.svg.replace("<svg ", `<svg width="${icon.size}" height="${icon.size}" `);
    await page.setContent(`<html><body style="margin:0;background:transparent">${sized}</body></html>`);
    await page.screenshot({
      path: icon.file,
      omitBackground: true,
      clip: { x: 0, y: 0, width: icon.size, height: icon.size },
    });
    await page.close();
    console.log(`${icon.file}: ${icon.size}x${icon.size}`);
  }
} finally {
  await browser.close();
}
