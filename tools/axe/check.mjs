// Runs axe-core in Debian's headless chromium over HTML files and prints what it finds as JSON:
//   node tools/axe/check.mjs report.html [more.html ...]
// Prints [{"file": ..., "violations": [{"id", "impact", "help", "nodes": [target, ...]}]}] and
// exits 1 when any file has a violation, 2 when the check itself could not run. Besides axe's
// rules, a page that scrolls sideways on a 320 px wide screen (WCAG 1.4.10 reflow, which axe
// cannot test) is reported as the violation "reflow".
// The browser is the system's (CHROMIUM, or /usr/bin/chromium): puppeteer-core downloads none.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node check.mjs FILE.html [FILE.html ...]");
  process.exit(2);
}

let browser;
try {
  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    // --no-sandbox: CI runs as root in a container, where chromium's sandbox cannot start.
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
} catch (error) {
  console.error(`cannot start chromium: ${error.message}`);
  process.exit(2);
}

const results = [];
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 320, height: 640 });
  for (const file of files) {
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
    await page.evaluate(axeSource);
    // Every rule axe has: WCAG 2.x A and AA, and its best practices.
    const found = await page.evaluate(async () => await globalThis.axe.run(document));
    const sideways = await page.evaluate(
      () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
    );
    const reflow = sideways
      ? [{ id: "reflow", impact: "serious", help: "The page scrolls sideways at 320 px", nodes: [] }]
      : [];
    results.push({
      file,
      violations: reflow.concat(found.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.join(" ")),
      }))),
      passes: found.passes.length,
    });
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(results, null, 2));
process.exit(results.some((r) => r.violations.length > 0) ? 1 : 0);
