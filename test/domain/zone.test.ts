import * as fc from "fast-check";
import { propertyRuns } from "../fakes/runs";
import { cellDateToSerial, serialToCellDate, serialToIso, ymdToSerial } from "../../src/domain/dates";
import { DomainError } from "../../src/domain/errors";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { policyFromRows, policyToRows } from "../../src/domain/policy/policy-table";
import { DEFAULT_TIME_ZONE, formatInstant, instantToSerial, readTimeZone, serialToInstant, todayIn } from "../../src/domain/zone";

// Instants are written in UTC ("Z"): the machine's zone must not matter to any answer below.
const at = (iso: string) => new Date(iso).getTime();

describe("the ledger's clock", () => {
  test("China Standard Time by default: 17:00 UTC on the 4th is 01:00 on the 5th in Shanghai", () => {
    expect(DEFAULT_TIME_ZONE).toBe("Asia/Shanghai");
    expect(defaultPolicy().settings.timeZone).toBe(DEFAULT_TIME_ZONE);
    expect(serialToIso(instantToSerial(at("2026-10-04T17:00:00Z")))).toBe("2026-10-05 01:00");
    expect(todayIn(at("2026-10-04T17:00:00Z"))).toBe(ymdToSerial(2026, 10, 5));
    expect(todayIn(at("2026-10-04T15:59:59Z"))).toBe(ymdToSerial(2026, 10, 4));
  });

  test("other zones: named ones follow daylight saving, offsets are fixed", () => {
    expect(serialToIso(instantToSerial(at("2026-07-01T17:00:00Z"), "America/Los_Angeles"))).toBe("2026-07-01 10:00"); // PDT
    expect(serialToIso(instantToSerial(at("2026-01-01T17:00:00Z"), "America/Los_Angeles"))).toBe("2026-01-01 09:00"); // PST
    expect(serialToIso(instantToSerial(at("2026-01-01T11:00:00Z"), "Pacific/Kiritimati"))).toBe("2026-01-02 01:00");
    expect(serialToIso(instantToSerial(at("2026-01-01T11:00:00Z"), "UTC+14"))).toBe("2026-01-02 01:00");
    expect(serialToIso(instantToSerial(at("2026-01-01T11:00:00Z"), "UTC+05:30"))).toBe("2026-01-01 16:30");
    expect(serialToIso(instantToSerial(at("2026-01-01T11:00:00Z"), "-03:00"))).toBe("2026-01-01 08:00");
  });

  test("Asia/Shanghai by Intl and as a fixed UTC+8 agree on every instant from 1992 to 2100", () => {
    fc.assert(
      fc.property(fc.integer({ min: at("1992-01-01T00:00:00Z") / 1000, max: at("2100-12-31T00:00:00Z") / 1000 }), (sec) => {
        expect(instantToSerial(sec * 1000, "Asia/Shanghai")).toBeCloseTo(instantToSerial(sec * 1000, "UTC+8"), 9);
      }),
      { numRuns: propertyRuns(2000) },
    );
  });

  test("serialToInstant inverts instantToSerial, to the second", () => {
    for (const zone of ["Asia/Shanghai", "America/Los_Angeles", "Pacific/Kiritimati", "UTC-10"]) {
      fc.assert(
        fc.property(fc.integer({ min: at("2000-01-01T00:00:00Z") / 1000, max: at("2090-01-01T00:00:00Z") / 1000 }), (sec) => {
          const s = instantToSerial(sec * 1000, zone);
          const back = serialToInstant(s, zone);
          // An hour repeated when daylight saving ends has two instants: either reads back as the same wall time.
          expect(formatInstant(back, zone)).toBe(formatInstant(sec * 1000, zone));
        }),
        { numRuns: propertyRuns(300) },
      );
    }
    expect(new Date(serialToInstant(ymdToSerial(2026, 10, 6), "Asia/Shanghai")).toISOString()).toBe("2026-10-05T16:00:00.000Z");
  });

  test("the audit log's 'when' is written on the ledger's clock", () => {
    expect(formatInstant(at("2026-10-04T17:05:09Z"))).toBe("2026-10-05 01:05:09");
    expect(formatInstant(at("2026-10-04T17:05:09Z"), "America/Los_Angeles")).toBe("2026-10-04 10:05:09");
  });

  test("a zone typed on the Policy sheet is read, an unknown one refused in both languages", () => {
    expect(readTimeZone(" Europe/Berlin ")).toBe("Europe/Berlin");
    expect(readTimeZone("UTC+8")).toBe("UTC+8");
    for (const bad of ["Mars/Olympus", "", "UTC+25", "+08:75"]) {
      let err: unknown;
      try {
        readTimeZone(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).zh).toMatch(/时区/);
      expect((err as DomainError).en).toMatch(/time zone/);
    }
  });

  test("the Policy sheet carries the zone: written, read back, refused when unknown", () => {
    const p = defaultPolicy();
    p.settings.timeZone = "America/Los_Angeles";
    const rows = policyToRows(p);
    expect(policyFromRows(rows).policy?.settings.timeZone).toBe("America/Los_Angeles");
    // A Policy sheet written before the setting existed keeps the default.
    const without = rows.filter((r) => r[0] !== "timeZone");
    expect(without.length).toBe(rows.length - 1);
    expect(policyFromRows(without).policy?.settings.timeZone).toBe(DEFAULT_TIME_ZONE);
    const bad = rows.map((r) => (r[0] === "timeZone" ? [r[0], "Nowhere/Atlantis", r[2]] : r));
    expect(
      policyFromRows(bad)
        .problems.map((x) => x.en)
        .join(),
    ).toMatch(/Unknown time zone "Nowhere\/Atlantis"/);
  });

  test("cell Dates read the same on any machine, both ways", () => {
    fc.assert(
      fc.property(fc.integer({ min: ymdToSerial(1950, 1, 1) * 1440, max: ymdToSerial(2100, 1, 1) * 1440 }), (minutes) => {
        const serial = minutes / 1440;
        expect(cellDateToSerial(serialToCellDate(serial))).toBeCloseTo(serial, 9);
      }),
    );
  });
});
