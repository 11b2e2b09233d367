/*
 * Webpack plugin: writes functions.json from the JSDoc @customfunction tags
 * of the functions source and appends its CustomFunctions.associate(...)
 * calls to that module. Metadata comes from custom-functions-metadata, the
 * library behind Microsoft's custom-functions-metadata-plugin.
 *
 * Why not that plugin: it adds its loader *after* ts-loader in the loader
 * list (so it runs on the TypeScript source). ts-loader remembers the loader
 * list of the first file it compiles and, on every watch rebuild, re-applies
 * "the loaders after me" to each changed file — so under `webpack serve` the
 * associate calls were appended to every changed .ts file and the rebuild
 * failed with "Cannot find name 'workday'". Here the loader is put *before*
 * ts-loader (it runs on the emitted JavaScript), which ts-loader never
 * replays, and it passes the source map through.
 */
"use strict";

const path = require("path");
const { generateCustomFunctionsMetadata } = require("custom-functions-metadata");
const { NormalModule, WebpackError, Compilation, sources } = require("webpack");

const NAME = "CustomFunctionsPlugin";
const LOADER = require.resolve("./custom-functions-loader.js");

class CustomFunctionsPlugin {
  /** @param {{input: string, output: string}} options functions source and metadata file name */
  constructor(options) {
    this.options = options;
  }

  apply(compiler) {
    const input = path.resolve(compiler.context, this.options.input);
    let result = null;

    // Regenerate on every (re)build: the JSDoc may have changed.
    compiler.hooks.beforeCompile.tapPromise(NAME, async () => {
      result = await generateCustomFunctionsMetadata([input], false);
    });

    // thisCompilation: not the HTML plugin's child compilations.
    compiler.hooks.thisCompilation.tap(NAME, (compilation) => {
      compilation.fileDependencies.add(input);
      if (result.errors.length > 0) {
        for (const err of result.errors) compilation.errors.push(new WebpackError(`${this.options.input}: ${err}`));
        return;
      }
      const code = result.associate
        .filter((a) => path.resolve(a.sourceFileName) === input)
        .map((a) => `CustomFunctions.associate(${JSON.stringify(a.id)}, ${a.functionName});`)
        .join("\n");

      compilation.hooks.processAssets.tap({ name: NAME, stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        compilation.emitAsset(this.options.output, new sources.RawSource(result.metadataJson));
      });

      NormalModule.getCompilationHooks(compilation).beforeLoaders.tap(NAME, (loaders, module) => {
        if (module.resource !== input) return;
        // First in the list = last to run: after ts-loader, on JavaScript.
        loaders.unshift({ loader: LOADER, options: { code }, ident: `${NAME}-loader`, type: null });
      });
    });
  }
}

module.exports = CustomFunctionsPlugin;
