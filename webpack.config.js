/*
 * One build for the whole add-in: functions, task pane, commands and the
 * help page, plus the manifest; office.js from Microsoft's CDN in production
 * (a local copy in development and with OFFICE_JS=bundled: officeJsSource).
 *
 * Shared runtime: Excel loads taskpane.html once and runs the task pane, the
 * custom functions and the ribbon commands in it. The "functions" entry holds
 * the webpack runtime; "taskpane" and "commands" depend on it (dependOn), so
 * on one page every module — including src/functions/functions.ts and its
 * CustomFunctions.associate calls — is evaluated once and state is shared.
 * functions.js alone still works as the manifest's <Script> (it carries the
 * runtime).
 *
 *   npm run build       production: manifest URLs rewritten to $ADDIN_URL
 *   npm run build:dev   development: URLs stay https://localhost:3000/
 *   npm start           webpack serve on http://localhost:3000 (HTTPS=1: https)
 */
"use strict";

const path = require("path");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const HtmlWebpackPlugin = require("html-webpack-plugin");

const { DEV_URL, prodUrl } = require("./scripts/addin-url");
const { ssoSettings, withWebApplicationInfo } = require("./scripts/sso");
const CustomFunctionsPlugin = require("./scripts/custom-functions-plugin");
const { LocalizeFunctionsPlugin } = require("./scripts/localize-functions");

const PORT = Number(process.env.PORT || 3000);

/** Folder of @microsoft/office-js/dist, or null when the package is absent. */
function officeJsDist() {
  try {
    return path.join(path.dirname(require.resolve("@microsoft/office-js/package.json")), "dist");
  } catch {
    return null;
  }
}

/*
 * office.js is a loader: it fetches a host file (excel-<platform>-16.xx.js),
 * the UI strings for the host's locale (falling back to en-us) and a telemetry
 * sink from its own folder. Outside Office (no host info) it takes the O15
 * path and needs o15apptofilemappingtable.js before Office.onReady resolves.
 * We copy only those — not the 86 MB package — and tag them minimized so
 * Terser does not spend minutes re-minifying them. Excel 2013's own host
 * files are left out: it cannot run custom functions.
 */
function officeJsPatterns() {
  const dist = officeJsDist();
  if (!dist) {
    console.warn("[webpack] @microsoft/office-js not installed: office-js/office.js will be missing (pages still run without Office).");
    return [];
  }
  const info = { minimized: true };
  const to = "office-js/[path][name][ext]";
  return [
    { from: "office.js", context: dist, to, info },
    { from: "o15apptofilemappingtable.js", context: dist, to, info },
    { from: "excel-*-16.*.js", context: dist, to, info, globOptions: { ignore: ["**/*.debug.js"] } },
    { from: "{en-us,zh-cn,zh-tw}/office_strings.js", context: dist, to, info },
    // A single-file "from" loses its folder in [path]; office.js asks for telemetry/oteljs_agave.js.
    { from: "telemetry/oteljs_agave.js", context: dist, to: "office-js/telemetry/[name][ext]", info },
  ];
}

/**
 * https options for the dev server when HTTPS=1. office-addin-dev-certs is
 * optional (not a dependency; its installer needs admin rights this CI lacks).
 * On a developer's Windows/Mac machine, once:
 *   npm install --no-save office-addin-dev-certs && npx office-addin-dev-certs install
 * Anything missing falls back to http, which is enough for the browser workbench.
 */
async function devServerTransport() {
  if (!/^(1|true|yes)$/i.test(process.env.HTTPS || "")) return { type: "http" };
  try {
    const devCerts = require("office-addin-dev-certs");
    const { ca, key, cert } = await devCerts.getHttpsServerOptions();
    return { type: "https", options: { ca, key, cert } };
  } catch (err) {
    console.warn(`[webpack] HTTPS=1 but office-addin-dev-certs is unavailable (${String(err.message).split("\n")[0]}); serving http.`);
    return { type: "http" };
  }
}

/** Microsoft's CDN copy of office.js, as its documentation asks add-ins to reference it in each page's <head>. */
const OFFICE_JS_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";

/**
 * Where the pages load office.js from. Production: Microsoft's CDN, so
 * Office's fixes reach users (the @microsoft/office-js package says it "is no
 * longer officially supported" and points there). The packaged copy only in
 * development builds and the dev server (tests, the workbench, no internet
 * needed) and in a production build asked for with OFFICE_JS=bundled, for
 * closed networks that cannot reach the CDN.
 */
function officeJsSource(dev, envVars = process.env) {
  const mode = (envVars.OFFICE_JS || "").trim().toLowerCase();
  if (mode && mode !== "bundled" && mode !== "cdn") throw new Error(`OFFICE_JS must be "bundled" or "cdn", got "${envVars.OFFICE_JS}"`);
  const bundled = mode === "bundled" || (dev && mode !== "cdn");
  return { bundled, src: bundled ? "office-js/office.js" : OFFICE_JS_CDN };
}

module.exports = async function config(env, argv) {
  const dev = argv.mode !== "production";
  const serving = Boolean(env && env.WEBPACK_SERVE);
  const baseUrl = dev ? DEV_URL : prodUrl();
  const officeJs = officeJsSource(dev);

  return {
    mode: dev ? "development" : "production",
    devtool: dev ? "source-map" : false,
    entry: {
      functions: "./src/functions/functions.ts",
      taskpane: { import: "./src/taskpane/taskpane.tsx", dependOn: "functions" },
      commands: { import: "./src/commands/commands.ts", dependOn: "functions" },
    },
    output: {
      path: path.resolve(__dirname, "dist"),
      filename: "[name].js",
      // Relative URLs so the build works under any ADDIN_URL path.
      publicPath: "auto",
      clean: true,
    },
    resolve: {
      extensions: [".ts", ".tsx", ".js", ".json"],
      // The fast .xlsx reader (src/stores/xlsx/reader/fast-read.ts) runs in the workbench's worker too: its Buffer
      // is our small Uint8Array-based one, and it inflates through DecompressionStream, never zlib.
      alias: { buffer$: path.resolve(__dirname, "src/stores/workbench/buffer.ts") },
      // stores/xlsx/store.ts reaches chart-parts.ts → zip-write.ts (Node streams), used only when a file is saved in
      // Node (file.ts saveWorkbook): in the worker those imports are never called.
      fallback: { zlib: false, stream: false, "stream/promises": false },
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          loader: "ts-loader",
          // onlyCompileBundledFiles: Node-only code under src/ (a CLI) is not type-checked against browser types.
          // The fast reader (fast-read.ts and its parts) is Node code the workbench's worker bundles too (its Buffer aliased below, zlib never
          // called there): `npm run typecheck` checks it against Node's types; this program has browser types only.
          options: {
            configFile: "tsconfig.webpack.json",
            onlyCompileBundledFiles: true,
            reportFiles: ["src/**/*.{ts,tsx}", "!src/stores/xlsx/reader/*.ts"],
          },
        },
        {
          // chinese-days says "type": "commonjs" but its module entry is ESM.
          // Only its .js files: its .json data must keep webpack's json type.
          test: /[\\/]node_modules[\\/]chinese-days[\\/].*\.m?js$/,
          type: "javascript/auto",
        },
      ],
    },
    plugins: [
      // Generates functions.json from the JSDoc tags and appends
      // CustomFunctions.associate(...) calls to functions.ts in the bundle
      // (our own small plugin: see scripts/custom-functions-plugin.js for why).
      new CustomFunctionsPlugin({
        input: "./src/functions/functions.ts",
        output: "functions.json",
      }),
      // functions.zh-CN.json: Chinese names from src/functions/zh-CN.json; the
      // manifest's zh-CN override of Functions.Metadata.Url points Excel at it.
      new LocalizeFunctionsPlugin({ source: "functions.json", output: "functions.zh-CN.json" }),
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        templateParameters: { officeJs: officeJs.src },
        template: "./src/taskpane/taskpane.html",
        // Order matters: "functions" carries the webpack runtime.
        chunks: ["functions", "taskpane", "commands"],
        chunksSortMode: "manual",
      }),
      // Stand-alone pages for debugging one part; the manifest uses taskpane.html.
      new HtmlWebpackPlugin({
        filename: "functions.html",
        templateParameters: { officeJs: officeJs.src },
        template: "./src/functions/functions.html",
        chunks: ["functions"],
      }),
      new HtmlWebpackPlugin({
        filename: "commands.html",
        templateParameters: { officeJs: officeJs.src },
        template: "./src/commands/commands.html",
        chunks: ["functions", "commands"],
        chunksSortMode: "manual",
      }),
      new HtmlWebpackPlugin({
        filename: "help.html",
        template: "./src/help/help.html",
        chunks: [],
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: "assets/*.png", to: "assets/[name][ext]" },
          { from: "src/taskpane/taskpane.css", to: "taskpane.css" },
          {
            from: "manifest.xml",
            to: "manifest.xml",
            transform(content) {
              // SSO (<WebApplicationInfo>) only where the organisation registered the app: SSO_CLIENT_ID (scripts/sso.js).
              const xml = dev ? content.toString() : content.toString().split(DEV_URL).join(baseUrl);
              return withWebApplicationInfo(xml, ssoSettings(baseUrl));
            },
          },
          ...(officeJs.bundled ? officeJsPatterns() : []),
        ],
      }),
    ],
    // The workbench's worker (new Worker(new URL(...)) in src/stores/workbench/spawn-worker.js) is an async
    // entrypoint with its own runtime; webpack warns that it and the page's runtime name each other's
    // files, which matters only for content-hashed file names, and ours carry none.
    ignoreWarnings: [/Circular dependency between chunks with runtime \((workbench-worker, functions|functions, workbench-worker)\)/],
    performance: {
      // office.js host files are Microsoft's and already minified; judge only our bundles.
      assetFilter: (name) => name.endsWith(".js") && !name.startsWith("office-js/"),
      maxAssetSize: 512 * 1024,
      maxEntrypointSize: 768 * 1024,
    },
    devServer: serving
      ? {
          host: "localhost",
          port: PORT,
          headers: { "Access-Control-Allow-Origin": "*" },
          server: await devServerTransport(),
          static: false,
          client: { overlay: { warnings: false, errors: true } },
          open: false,
          onListening(devServer) {
            const { port } = devServer.server.address();
            const scheme = devServer.options.server.type === "https" ? "https" : "http";
            const base = `${scheme}://localhost:${port}/`;
            console.log(
              `\n  Complaint Ledger 客诉台账\n` +
                `  workbench (the task pane on the bundled sample ledger, no Excel needed): ${base}taskpane.html\n` +
                `  small demo ledger: ${base}taskpane.html?sample=small\n` +
                `  manifest for sideloading into Excel: ${base}manifest.xml\n`,
            );
          },
        }
      : undefined,
  };
};

module.exports.officeJsSource = officeJsSource;
module.exports.OFFICE_JS_CDN = OFFICE_JS_CDN;
