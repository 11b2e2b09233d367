"use strict";
/** The production build the pane benchmarks measure, into `out` (the project's own webpack config). */
const path = require("path");

const ROOT = path.resolve(__dirname, "..");

/** `minimize: false` keeps the source's names (profiles of the built pane read as the code). */
async function build(out, { minimize = true } = {}) {
  const webpack = require("webpack");
  const config = await require(path.join(ROOT, "webpack.config.js"))({}, { mode: "production" });
  config.output.path = out;
  if (!minimize) config.optimization = { ...config.optimization, minimize: false };
  config.infrastructureLogging = { level: "error" };
  await new Promise((ok, fail) =>
    webpack(config).run((err, stats) => {
      if (err) return fail(err);
      if (stats.hasErrors()) return fail(new Error(stats.toString({ all: false, errors: true })));
      ok();
    }),
  );
}

module.exports = { build };
