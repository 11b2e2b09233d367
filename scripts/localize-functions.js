/*
 * Writes functions.zh-CN.json: the metadata that custom-functions-metadata
 * generates from the JSDoc (English; scripts/custom-functions-plugin.js), with the Chinese descriptions of
 * src/functions/zh-CN.json. The manifest's zh-CN override points Excel at it.
 * A function or parameter without a translation fails the build, so the two
 * languages cannot drift apart silently.
 */
"use strict";

const path = require("path");

/** English metadata + translation table → Chinese metadata, or throws naming what is missing. */
function localize(metadata, table) {
  const missing = [];
  const functions = metadata.functions.map((fn) => {
    const t = table[fn.id];
    if (!t) {
      missing.push(fn.id);
      return fn;
    }
    const parameters = (fn.parameters || []).map((p) => {
      const d = t.parameters && t.parameters[p.name];
      if (!d) missing.push(`${fn.id}.${p.name}`);
      return { ...p, description: d || p.description };
    });
    // Names stay as in functions.json (CL.DUEDATE in every locale): the add-in writes its formulas with
    // Range.formulas, which does not translate a custom function's localized name (office-js #891: #NAME?).
    // Only the descriptions Excel shows in its function wizard and tooltips are Chinese.
    return { ...fn, description: t.description, parameters };
  });
  const extra = Object.keys(table).filter((id) => !metadata.functions.some((fn) => fn.id === id));
  if (missing.length || extra.length) {
    throw new Error(`zh-CN function names out of date / 中文函数名与函数不一致: missing ${missing.join(", ") || "-"}; unknown ${extra.join(", ") || "-"}`);
  }
  return { ...metadata, functions };
}

/** Webpack plugin: emits functions.zh-CN.json next to functions.json. */
class LocalizeFunctionsPlugin {
  constructor({ source = "functions.json", output = "functions.zh-CN.json", table = path.resolve(__dirname, "../src/functions/zh-CN.json") } = {}) {
    Object.assign(this, { source, output, table });
  }

  apply(compiler) {
    const { RawSource } = compiler.webpack.sources;
    compiler.hooks.thisCompilation.tap("LocalizeFunctionsPlugin", (compilation) => {
      compilation.fileDependencies.add(this.table);
      compilation.hooks.processAssets.tap({ name: "LocalizeFunctionsPlugin", stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL + 1 }, () => {
        const asset = compilation.getAsset(this.source);
        if (!asset) {
          compilation.errors.push(new Error(`LocalizeFunctionsPlugin: ${this.source} was not generated`));
          return;
        }
        try {
          delete require.cache[this.table];
          const zh = localize(JSON.parse(asset.source.source().toString()), require(this.table));
          compilation.emitAsset(this.output, new RawSource(JSON.stringify(zh, null, 2)));
        } catch (e) {
          compilation.errors.push(e);
        }
      });
    });
  }
}

module.exports = { localize, LocalizeFunctionsPlugin };
