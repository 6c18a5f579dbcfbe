// Opens EPUBs in epub.js and pages in Chromium, all in one browser, and prints what it saw as JSON.
// Usage: node read.mjs JOB.json   where JOB is {"browser": path, "books": [{"path", "shots"}], "pages": [{"path", "screenshot"}]}
// For each book: metadata, the table of contents (flattened), the page list, and for the first spine items (the cover
// and the first section) the text shown, the images and whether they loaded; a screenshot of each of these screens.
// Console errors, page errors and failed requests are collected per book and per page.
import { readFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const here = dirname(fileURLToPath(import.meta.url));
const job = JSON.parse(readFileSync(process.argv[2], "utf-8"));
const harness = pathToFileURL(join(here, "harness.html")).href;
const SCREENS = 2;

function watch(page) {
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url().slice(0, 200)} ${r.failure()?.errorText}`));
  return errors;
}

async function readBook(browser, book) {
  const page = await browser.newPage();
  const errors = watch(page);
  await page.setViewport({ width: 600, height: 800 });
  await page.goto(harness, { waitUntil: "load" });
  const b64 = readFileSync(book.path).toString("base64");
  const info = await page.evaluate(async (data) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const book = ePub(bytes.buffer);
    window.book = book;
    await book.ready;
    window.rendition = book.renderTo("viewer", { width: 600, height: 800, flow: "paginated", spread: "none" });
    const nav = await book.loaded.navigation;
    const flat = (items) => items.flatMap((i) => [i.label.trim(), ...flat(i.subitems || [])]);
    // book.loaded.pageList resolves before the navigation document is read (epub.js 0.3.93): read it after.
    const pageList = book.pageList;
    const meta = book.packaging.metadata;
    return {
      title: meta.title, creator: meta.creator, language: meta.language,
      toc: flat(nav.toc), pages: pageList ? pageList.pageList.map((p) => ({ page: p.page, href: p.href })) : [],
      cover: Boolean(await book.coverUrl()), spine: book.spine.spineItems.map((s) => s.href),
    };
  }, b64);
  info.screens = [];
  mkdirSync(book.shots, { recursive: true });
  for (let index = 0; index < Math.min(SCREENS, info.spine.length); index++) {
    const screen = await page.evaluate(async (i) => {
      await window.rendition.display(i);
      const contents = window.rendition.getContents()[0];
      const doc = contents.document;
      const images = [...doc.images];
      await Promise.all(images.map((im) => (im.complete ? null : new Promise((r) => { im.onload = im.onerror = r; }))));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return {
        href: window.book.spine.get(i).href, text: doc.body.innerText.trim().slice(0, 300),
        textLength: doc.body.innerText.trim().length, images: images.length,
        brokenImages: images.filter((im) => !im.naturalWidth).map((im) => im.getAttribute("src")),
        headings: [...doc.querySelectorAll("h1, h2, h3, h4")].map((h) => h.textContent.trim()),
      };
    }, index);
    screen.screenshot = join(book.shots, `screen-${index + 1}.png`);
    await page.screenshot({ path: screen.screenshot });
    info.screens.push(screen);
  }
  info.errors = errors;
  await page.close();
  return info;
}

async function readPage(browser, target) {
  const page = await browser.newPage();
  const errors = watch(page);
  await page.setViewport({ width: 1200, height: 1600 });
  await page.goto(pathToFileURL(target.path).href, { waitUntil: "load" });
  const structure = await page.evaluate(() => ({
    title: document.title,
    scripts: document.scripts.length,
    articles: [...document.querySelectorAll("section.article")].map((s) => ({
      id: s.id, title: s.querySelector("h2").textContent.trim(),
      headings: [...s.querySelectorAll("h3")].map((h) => h.textContent.trim()),
      dropped: [...s.querySelectorAll("table.dropped tr")].slice(1).map((tr) => [...tr.cells].map((c) => c.textContent.trim())),
      images: [...s.querySelectorAll("img")].map((im) => ({
        alt: im.alt, data: im.src.startsWith("data:image/"), width: im.naturalWidth, height: im.naturalHeight,
      })),
      verdicts: [...s.querySelectorAll("table.verdicts tr")].slice(1).map((tr) => [...tr.cells].map((c) => c.textContent.trim())),
    })),
  }));
  await page.screenshot({ path: target.screenshot, fullPage: true });
  await page.close();
  return { ...structure, errors };
}

const browser = await puppeteer.launch({
  executablePath: job.browser, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--allow-file-access-from-files"],
});
const out = { books: {}, pages: {} };
try {
  for (const book of job.books || []) {
    try {
      out.books[book.path] = await readBook(browser, book);
    } catch (e) {
      out.books[book.path] = { failure: String(e && e.stack || e) };
    }
  }
  for (const target of job.pages || []) {
    out.pages[target.path] = await readPage(browser, target);
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));
