#!/usr/bin/env node
// complaint-ledger: runs the compiled CLI (tsc -p tsconfig.cli.json → build/cli).
/* global require, __dirname, process */
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS launcher */
"use strict";
const path = require("path");
const entry = path.join(__dirname, "..", "build", "cli", "src", "cli", "main.js");
let cli;
try {
  cli = require(entry);
} catch (e) {
  if (e && e.code === "MODULE_NOT_FOUND" && String(e.message).includes(entry)) {
    process.stderr.write(
      "complaint-ledger 尚未编译:请先运行 npm run build:cli\n" +
        "complaint-ledger is not built yet: run `npm run build:cli` first (it runs on `npm ci` / `npm install` via prepare).\n",
    );
    process.exit(2);
  }
  throw e;
}
cli.run();
