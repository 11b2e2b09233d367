/** Jest: TypeScript through ts-jest with the commonjs tsconfig (the webpack build uses ES modules). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  transform: { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  moduleFileExtensions: ["ts", "tsx", "js", "json"],
};
