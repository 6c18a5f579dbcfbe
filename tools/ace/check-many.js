// DAISY Ace on many books in one Node process and one Chromium. `ace-cli` starts both for every book, and Ace's
// checker launches and closes its browser around each book: for the test suite's forty-odd books that start-up
// cost about as much CPU as the checks. Here Ace's own core and Puppeteer runner do the same work as in `ace-cli`;
// only the browser stays open from one book to the next (each content document still gets a fresh page).
// Usage: node check-many.js OUT book.epub ...
// Writes OUT/<n>/report.json (and Ace's HTML report) for the n-th book, counted from 0, as `ace-cli -o OUT/<n>`
// does, and prints "DONE <n>" or "FAILED <n> <why>" as each book finishes; a failed book does not stop the others.
'use strict';

const path = require('path');
const ace = require('@daisy/ace-core');
const logger = require('@daisy/ace-logger');
const runner = require('@daisy/ace-axe-runner-puppeteer');

let launched = false;
const sharedBrowser = {
  ...runner,
  launch: async () => {
    if (!launched) {
      launched = true;
      await runner.launch();
    }
  },
  close: async () => {}, // closed once, after the last book
};

async function main() {
  const [out, ...books] = process.argv.slice(2);
  logger.initLogger({ verbose: false, silent: true });
  try {
    for (const [n, book] of books.entries()) {
      try {
        await ace(book, { cwd: process.cwd(), outdir: path.join(out, String(n)), silent: true, jobId: '' },
                  sharedBrowser);
        console.log(`DONE ${n}`);
      } catch (err) {
        console.log(`FAILED ${n} ${String((err && err.message) || err).split('\n')[0]}`);
      }
    }
  } finally {
    if (launched) {
      await runner.close();
    }
  }
}

main().catch((err) => {
  console.error((err && err.stack) || err);
  process.exitCode = 1;
});
