/*
 * The add-in's two origins, shared by webpack.config.js and
 * scripts/validate-manifest.js so the build and the check agree.
 */
"use strict";

// manifest.xml is written against this origin; the production build rewrites it.
const DEV_URL = "https://localhost:3000/";
const DEFAULT_PROD_URL = "https://complaint-ledger.example.com/";

/** Deployment base URL for the production manifest (always ends with "/"). */
function prodUrl(env = process.env) {
  const raw = (env.ADDIN_URL || DEFAULT_PROD_URL).trim();
  if (!/^https:\/\/[^\s/]+/i.test(raw)) {
    // Office refuses http add-ins; fail the build rather than ship a dead manifest.
    throw new Error(`ADDIN_URL must be an https:// URL, got "${raw}"`);
  }
  return raw.endsWith("/") ? raw : raw + "/";
}

module.exports = { DEV_URL, DEFAULT_PROD_URL, prodUrl };
