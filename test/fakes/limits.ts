/**
 * LIMITS (and the sliced reader's threshold) lowered by a test, put back after each test of the describe or file
 * that calls `writableLimits`: what a 200,000-case ledger passes in production, a small file passes here.
 */
import { LIMITS } from "../../src/stores/xlsx/limits";
import { SLICED } from "../../src/stores/xlsx/zip/zip-file";

export type WritableLimits = { -readonly [K in keyof typeof LIMITS]: (typeof LIMITS)[K] };

export function writableLimits(): { limits: WritableLimits; real: Readonly<WritableLimits> } {
  const limits = LIMITS as WritableLimits;
  const real = { ...LIMITS };
  const slicedAbove = SLICED.aboveBytes;
  afterEach(() => {
    Object.assign(limits, real);
    SLICED.aboveBytes = slicedAbove;
  });
  return { limits, real };
}
