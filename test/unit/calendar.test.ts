import { CalendarError, accessToday, dayIn, daysBetween, expiresSoon, hasExpired, isTimeZone, parseDay } from "../../lib/calendar";
import { isKantataError } from "../../lib/errors";

describe("calendar days", () => {
  it.each(["2026-12-31", "2024-02-29", "2000-01-01"])("%s is a day", (text) => {
    expect(parseDay(text)).toBe(text);
  });

  it.each(["2026-13-01", "2026-02-29", "2026-04-31", "2026-2-3", "26-12-31", "2026-12-31T00:00", " 2026-12-31", "tomorrow", "", 20261231])(
    "%j is not a day",
    (text) => {
      expect(parseDay(text)).toBeUndefined();
    },
  );

  it("counts days across months, leap days and years", () => {
    expect(daysBetween("2026-12-31", "2027-01-01")).toBe(1);
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween("2026-03-01", "2026-02-28")).toBe(-1);
  });
});

describe("expiry", () => {
  it("the last day still has access; the day after has none", () => {
    expect(hasExpired("2026-12-31", "2026-12-30")).toBe(false);
    expect(hasExpired("2026-12-31", "2026-12-31")).toBe(false);
    expect(hasExpired("2026-12-31", "2027-01-01")).toBe(true);
  });

  it("warns when the first day without access is at most 14 days away, and not once it has expired", () => {
    expect(expiresSoon("2026-12-31", "2026-12-17")).toBe(false); // access ends on Jan 1st: 15 days away
    expect(expiresSoon("2026-12-31", "2026-12-18")).toBe(true); // 14 days away
    expect(expiresSoon("2026-12-31", "2026-12-31")).toBe(true); // the last day
    expect(expiresSoon("2026-12-31", "2027-01-01")).toBe(false); // expired
  });
});

describe("today", () => {
  // 2026-12-31 23:30 UTC is already January 1st in Berlin and still December 31st in New York.
  const now = new Date(Date.UTC(2026, 11, 31, 23, 30));

  it("is the day in the file's time zone, UTC by default", () => {
    expect(accessToday(undefined, {}, now)).toBe("2026-12-31");
    expect(accessToday("Europe/Berlin", {}, now)).toBe("2027-01-01");
    expect(accessToday("America/New_York", {}, now)).toBe("2026-12-31");
    expect(dayIn("Pacific/Kiritimati", now)).toBe("2027-01-01");
  });

  it("is KANTATA_ACCESS_TODAY when set, whatever the clock and the zone say", () => {
    expect(accessToday("Europe/Berlin", { KANTATA_ACCESS_TODAY: "2030-06-15" }, now)).toBe("2030-06-15");
    expect(accessToday("UTC", { KANTATA_ACCESS_TODAY: "" }, now)).toBe("2026-12-31");
  });

  it("fails clearly on a malformed KANTATA_ACCESS_TODAY", () => {
    const call = () => accessToday("UTC", { KANTATA_ACCESS_TODAY: "31/12/2026" }, now);
    expect(call).toThrow(CalendarError);
    expect(call).toThrow('KANTATA_ACCESS_TODAY must be a day as YYYY-MM-DD, such as 2026-12-31; got "31/12/2026".');
    const thrown = (() => {
      try {
        return call();
      } catch (error) {
        return error;
      }
    })();
    expect(isKantataError(thrown, "config")).toBe(true);
  });

  it("knows IANA time zones", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Europe/Berlim")).toBe(false);
    expect(isTimeZone("CET+1")).toBe(false);
  });
});
