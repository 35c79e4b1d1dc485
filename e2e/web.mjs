// End-to-end walk through the Spares web app in a real Chromium.
//
// Run by cli/tests/e2e.rs (which starts `spares serve`, and nginx in front of
// it for the second run). Environment:
//   SPARES_E2E_URL        base URL of the running app
//   SPARES_E2E_PASSWORD   the admin password
//   SPARES_E2E_SHOTS      folder for screenshots (not committed)
//   SPARES_E2E_CSV_DIR    folder with good.csv and bad.csv to import, and the photos
//                         to scan (sheet-a1.jpg, sheet-a1-a2.jpg, bag-lm358.jpg)
//   CHROMIUM              browser binary (default /usr/bin/chromium)
// Exits non-zero, naming the failed step, when anything is not as expected.

import { chromium } from "playwright-core";
import { existsSync, mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const base = process.env.SPARES_E2E_URL;
const password = process.env.SPARES_E2E_PASSWORD;
const shots = process.env.SPARES_E2E_SHOTS;
const csvDir = process.env.SPARES_E2E_CSV_DIR;
const label = process.env.SPARES_E2E_LABEL || "direct";
if (!base || !password || !shots || !csvDir) {
  console.error("set SPARES_E2E_URL, SPARES_E2E_PASSWORD, SPARES_E2E_SHOTS and SPARES_E2E_CSV_DIR");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

let step = "start";
const profile = mkdtempSync(join(tmpdir(), "spares-e2e-profile-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
    // A camera for the live scan: Chromium's test pattern, allowed without asking.
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
  ],
  viewport: { width: 1200, height: 900 },
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(10_000);
const consoleErrors = [];
// Answers the walk provokes on purpose (wrong password, form and CSV
// errors) are logged by Chromium too; anything else (a missing file, a
// Content-Security-Policy violation, a script error) fails the run.
const expected = /status of (400|401|422) /;
page.on("console", (m) => {
  if (m.type() === "error" && !expected.test(m.text())) consoleErrors.push(m.text());
});

async function see(text) {
  await page.getByText(text, { exact: false }).first().waitFor({ state: "visible" });
}
async function flash(text) {
  const f = page.locator("p.flash");
  await f.first().waitFor();
  const got = (await f.first().innerText()).trim();
  if (!got.includes(text)) throw new Error(`expected the message "${text}", got "${got}"`);
}
async function shot(name) {
  await page.screenshot({ path: join(shots, `${label}-${name}.png`), fullPage: true });
}
// A photo cli/tests/e2e.rs makes while the walk runs (the label sheets
// once boxes A1 and A2 exist): its path, once it is there.
async function photo(name) {
  const path = join(csvDir, name);
  const start = Date.now();
  while (!existsSync(path)) {
    if (Date.now() - start > 120_000) throw new Error(`${name} was not made within 120 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return path;
}
async function quantity() {
  return Number((await page.locator("#quantity").innerText()).trim());
}

try {
  step = "the empty list invites a new user to start";
  await page.goto(base + "/");
  await see("No parts yet.");
  await shot("01-empty");

  step = "sign in";
  await page.getByRole("banner").getByRole("link", { name: "Sign in" }).click();
  await page.getByLabel("Password", { exact: true }).fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await see("Wrong password.");
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await flash("Signed in.");

  step = "add 10k 0805 ×100 in A1";
  await page.getByRole("link", { name: "+ Add a part" }).click();
  await page.getByLabel("Category", { exact: true }).fill("resistor");
  await page.getByLabel("Value", { exact: true }).fill("10k");
  await page.getByLabel("Package", { exact: true }).fill("0805");
  await page.getByLabel("Quantity", { exact: true }).fill("100");
  await page.getByLabel("Box", { exact: true }).fill("A1");
  await page.getByLabel("Parameter name 1", { exact: true }).fill("tolerance");
  await page.getByLabel("Parameter value 1", { exact: true }).fill("1%");
  await shot("02-add-form");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await flash("Added 100 × 10 kΩ 0805 1% in A1.");
  await see("tolerance");
  await shot("03-part");

  step = "a bad value is shown beside its field";
  await page.goto(base + "/new");
  await page.getByLabel("Value", { exact: true }).fill("10 bananas");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await see("Nothing was saved");
  await see('unknown unit or prefix "bananas"');
  await shot("04-form-error");

  step = "search in plain words";
  await page.goto(base + "/");
  await page.getByRole("searchbox").fill("do I have a 10k resistor?");
  await page.getByRole("button", { name: "Search" }).click();
  await see("Understood as:");
  await see("Yes: 100 × 10 kΩ 0805 1% in A1.");
  await shot("05-search");

  step = "+1 and −1 on the part page";
  await page.getByRole("link", { name: "10 kΩ" }).first().click();
  await page.getByRole("button", { name: "+1" }).click();
  await flash("+1, 101 left.");
  if ((await quantity()) !== 101) throw new Error("quantity is not 101 after +1");
  await page.getByRole("button", { name: "−1" }).click();
  await flash("-1, 100 left.");
  if ((await quantity()) !== 100) throw new Error("quantity is not 100 after −1");

  step = "edit";
  await page.getByRole("link", { name: "Edit" }).click();
  await page.getByLabel("Value", { exact: true }).fill("4k7");
  await page.getByLabel("Quantity", { exact: true }).fill("90");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await flash("Saved 90 × 4.7 kΩ 0805 1% in A1.");
  if ((await quantity()) !== 90) throw new Error("quantity is not 90 after the edit");

  step = "import a CSV (a bad one first: nothing imported, row named)";
  await page.getByRole("link", { name: "Import/export" }).click();
  await page.getByLabel("CSV file", { exact: true }).setInputFiles(join(csvDir, "bad.csv"));
  await page.getByRole("button", { name: "Import" }).click();
  await see("line 3");
  await see("Nothing was imported.");
  await shot("06-import-error");
  await page.getByLabel("CSV file", { exact: true }).setInputFiles(join(csvDir, "good.csv"));
  await page.getByRole("button", { name: "Import" }).click();
  await flash("Imported 3 parts from good.csv.");
  await see("100 nF");

  step = "open a box page and use its buttons";
  await page.goto(base + "/b/A1");
  await see("Box A1");
  await page.getByRole("button", { name: "Add one 100 nF" }).click();
  await flash("100 nF 0805: +1, 51 left.");
  await shot("07-box");

  step = "a keyboard-wedge scanner types a label's code into the search box";
  await page.goto(base + "/");
  await page.getByRole("searchbox").fill("SPARES:B:a1");
  await page.getByRole("searchbox").press("Enter");
  await page.waitForURL(/\/b\/A1$/);
  await see("Box A1");

  step = "scan a photo of a printed label sheet from the Scan page";
  // Photos made by cli/tests/e2e.rs: the sheet PDFs this server rendered,
  // printed by pdftoppm, on a desk at an angle, blurred, as JPEGs.
  await page.getByRole("link", { name: "Scan", exact: true }).click();
  await page.getByLabel("Take a photo of a label or a bag").setInputFiles(await photo("sheet-a1.jpg"));
  await shot("07b-scan");
  await page.getByRole("button", { name: "Read the photo" }).click();
  await page.waitForURL(/\/b\/A1$/);
  await see("Box A1");

  step = "a photo with two labels lists both";
  await page.goto(base + "/scan");
  await page.getByLabel("Take a photo of a label or a bag").setInputFiles(await photo("sheet-a1-a2.jpg"));
  await page.getByRole("button", { name: "Read the photo" }).click();
  await see("2 codes in that photo");
  await page.getByRole("link", { name: "Box A1", exact: true }).waitFor();
  await shot("07c-scan-two");
  await page.getByRole("link", { name: "Box A2", exact: true }).click();
  await page.waitForURL(/\/b\/A2$/);
  await see("Box A2");

  step = "a photo of a supplier bag fills in the add form";
  await page.goto(base + "/scan");
  await page.getByLabel("Take a photo of a label or a bag").setInputFiles(await photo("bag-lm358.jpg"));
  await page.getByRole("button", { name: "Read the photo" }).click();
  await page.waitForURL(/\/new\?/);
  for (const [field, want] of [["reference", "LM358DR"], ["quantity", "25"], ["shop", "Digi-Key"]]) {
    const got = await page.locator(`#f-${field}`).inputValue();
    if (got !== want) throw new Error(`the add form's ${field} is "${got}", expected "${want}"`);
  }
  await shot("07d-bag-form");

  step = "without a barcode detector the Scan page offers the photo, not the live camera";
  await page.goto(base + "/scan");
  if (await page.locator("#live").isVisible()) throw new Error("the live camera scan shows without BarcodeDetector");
  await page.getByLabel("Take a photo of a label or a bag").waitFor({ state: "attached" });

  step = "live scanning from the camera where the browser has a BarcodeDetector";
  // Chromium on Linux has no BarcodeDetector (Android, ChromeOS and macOS
  // do): this page gets a stand-in that answers only for frames of a
  // playing camera video (Chromium's fake camera, see the launch flags).
  const phone = await context.newPage();
  phone.setDefaultTimeout(10_000);
  phone.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  await phone.addInitScript(() => {
    window.__frames = 0;
    window.BarcodeDetector = class {
      static async getSupportedFormats() {
        return ["aztec", "code_128", "data_matrix", "ean_13", "qr_code"];
      }
      constructor(options) {
        sessionStorage.setItem("formats", JSON.stringify(options.formats));
      }
      async detect(source) {
        if (!(source instanceof HTMLVideoElement) || source.videoWidth === 0 || source.paused) return [];
        window.__frames += 1;
        return window.__frames >= 3 ? [{ rawValue: "SPARES:B:A2", format: "qr_code" }] : [];
      }
    };
  });
  await phone.goto(base + "/scan");
  await phone.getByRole("button", { name: "Scan with the camera" }).click();
  await phone.waitForURL(/\/b\/A2$/);
  await phone.getByText("Box A2").first().waitFor();
  const formats = await phone.evaluate(() => sessionStorage.getItem("formats"));
  if (formats !== '["qr_code","data_matrix"]') throw new Error(`the detector was asked for ${formats}`);
  await phone.close();

  step = "the dashboard";
  await page.getByRole("link", { name: "Dashboard" }).click();
  await see("distinct parts");
  await page.locator("svg.chart rect").first().waitFor();
  await shot("08-dashboard");

  step = "can I build this: a typed list on the Projects page";
  await page.getByRole("link", { name: "Projects", exact: true }).click();
  await page.getByLabel("…or type a list, one part per line").fill("2x 100nF 0805\n4x 1k 0805\n1x NE555");
  await page.getByLabel("Boards").fill("3");
  await page.getByRole("button", { name: "Check" }).click();
  await see("The list — list, 3 lines, for 3 boards");
  await see("Lines: 1 missing.");
  await page.getByRole("link", { name: "Box A2", exact: true }).waitFor();
  await shot("08b-projects");

  step = "a saved project: build it, then undo the build";
  await page.getByLabel("…or type a list, one part per line").fill("2x 100nF 0805\n4x 1k 0805");
  await page.getByLabel("Boards").fill("2");
  await page.getByLabel("Project name").fill("Blinker");
  await page.getByRole("button", { name: "Save as project" }).click();
  await flash("Saved “Blinker”: 2 lines.");
  await see("2 lines for 2 boards");
  await page.getByRole("button", { name: "Build 2 boards" }).click();
  await flash("Built 2 × Blinker: took 12 parts from 2 spares");
  await page.getByRole("button", { name: "Undo build" }).click();
  await flash("undone: 12 parts put back.");

  step = "a project renamed, then given a new design";
  await page.getByLabel("Name", { exact: true }).fill("Blinker B");
  await page.getByRole("button", { name: "Rename" }).click();
  await flash("Renamed to “Blinker B”.");
  await page.getByRole("link", { name: "New design…" }).click();
  await see("New design for Blinker B");
  await page.getByLabel("…or type a list, one part per line").fill("2x 100nF 0805");
  await page.getByRole("button", { name: "Replace the design" }).click();
  await flash("New design for “Blinker B”: 1 line (was 2)");
  await see("1 line for 1 board");
  await page.getByRole("link", { name: "← Projects" }).click();
  await page.getByRole("link", { name: "Blinker B", exact: true }).waitFor();

  step = "delete with confirmation";
  await page.goto(base + "/?q=4k7");
  await page.getByRole("link", { name: "4.7 kΩ" }).first().click();
  await page.getByRole("link", { name: "Delete…" }).click();
  await see("this cannot be undone");
  await page.getByRole("button", { name: "Delete" }).click();
  await flash("Deleted 90 × 4.7 kΩ 0805 1%.");

  step = "a phone-sized screen";
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + "/");
  await see("100 nF");
  await shot("09-phone");

  step = "a project on a phone: nothing wider than the screen";
  await page.goto(base + "/projects");
  await page.getByRole("link", { name: "Blinker B", exact: true }).click();
  await page.getByRole("button", { name: "Build 1 board" }).waitFor();
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  if (wide > 390) throw new Error(`the project page is ${wide} px wide on a 390 px screen`);
  await shot("09b-phone-project");

  step = "no errors in the browser console";
  if (consoleErrors.length) throw new Error(consoleErrors.join("\n"));

  console.log(`e2e (${label}): all steps passed; screenshots in ${shots}`);
} catch (e) {
  await shot("failed").catch(() => {});
  console.error(`e2e (${label}) failed at step "${step}": ${e.message}`);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
