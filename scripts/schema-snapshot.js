#!/usr/bin/env node
/*
 * `npm run schema:snapshot`: records the schema version the code writes
 * (SCHEMA_VERSION in src/ledger/workbook-layout.ts) as data, in
 * src/ledger/migrations/v<N>.json: ledger columns, signing roles, People
 * columns, default Policy rows and relied-on codes (snapshot.ts liveSnapshot).
 * Run it after raising SCHEMA_VERSION, and again whenever columns or policy
 * defaults change before the release ships; a test fails until it is run.
 * Earlier versions' files are never rewritten: they are what those releases wrote.
 */
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const dir = path.join(root, "src", "ledger", "migrations");
// The version is read from the source first: a new version's file must exist before the code that imports it compiles.
const declared = /export const SCHEMA_VERSION = "(\d+)"/.exec(fs.readFileSync(path.join(root, "src", "ledger", "workbook-layout.ts"), "utf8"));
if (!declared) throw new Error("SCHEMA_VERSION not found in src/ledger/workbook-layout.ts");
const target = path.join(dir, `v${declared[1]}.json`);
const previous = path.join(dir, `v${Number(declared[1]) - 1}.json`);
if (!fs.existsSync(target) && fs.existsSync(previous)) fs.copyFileSync(previous, target);
const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [root] }), "-p", "tsconfig.cli.json"], { cwd: root, stdio: "inherit" });
if (tsc.status !== 0) process.exit(tsc.status || 1);

const build = path.join(root, "build", "cli", "src", "ledger");
const { SCHEMA_VERSION } = require(path.join(build, "workbook-layout.js"));
const { liveSnapshot } = require(path.join(build, "migrations", "snapshot.js"));
const release = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version;
const file = path.join(dir, `v${SCHEMA_VERSION}.json`);
fs.writeFileSync(file, JSON.stringify(liveSnapshot(SCHEMA_VERSION, release)) + "\n");
const pretty = spawnSync(process.execPath, [require.resolve("prettier/bin/prettier.cjs", { paths: [root] }), "--write", file], { cwd: root, stdio: "inherit" });
if (pretty.status !== 0) process.exit(pretty.status || 1);
// The compiled command line (build/cli) was built with the file as it was: give it the new one.
fs.copyFileSync(file, path.join(build, "migrations", path.basename(file)));
process.stdout.write(`schema ${SCHEMA_VERSION} (release ${release}) recorded in ${path.relative(root, file)}\n`);
