/*
 * Loader used by custom-functions-plugin.js: appends the generated
 * CustomFunctions.associate(...) calls to the functions module's JavaScript.
 * Appending at the end keeps every existing source-map position valid.
 */
"use strict";

module.exports = function customFunctionsLoader(source, map, meta) {
  const { code } = this.getOptions();
  this.callback(null, code ? `${source}\n${code}\n` : source, map, meta);
};
