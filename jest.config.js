/** Jest: TypeScript through ts-jest with the commonjs tsconfig (the webpack build uses ES modules). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  transform: { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  moduleFileExtensions: ["ts", "tsx", "js", "json"],
  // Machines here are shared and noisy: a pane test that compiles a lazy screen may take seconds. Timing goes in bench/.
  testTimeout: 30000,
  // d3 (under @fluentui/react-charts) ships ES modules only as its entry; each package's UMD build is CommonJS-loadable.
  moduleNameMapper: { "^(d3-[a-z-]+|internmap)$": "<rootDir>/node_modules/$1/dist/$1.js" },
};
