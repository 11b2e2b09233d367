/**
 * For `npm run mutate` only (jest.mutate.config.js): every property test draws the same cases in every run, so a
 * mutant is killed or not by the code, never by the dice, and the initial run cannot fail by chance (a non-vacuity
 * count such as "accepted edits reached 结案 more than twice" once fell short on a fifth of the runs). A failing
 * property stops at its first counterexample (no shrinking): a mutant only needs to be seen to fail, and shrinking
 * a counterexample reruns the property many times (dozens of SHA-256 chains each in the audit tests), which can
 * push a killed mutant past Stryker's timeout.
 */
import fc from "fast-check";

fc.configureGlobal({ seed: 30, endOnFailure: true });
