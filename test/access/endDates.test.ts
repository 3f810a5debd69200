import type { AccessGroup } from "../../access/accessFile";
import { endDatesOn } from "../../access/endDates";

/** What declareAccess declares for a group with end dates, on the day before, on and after the last day. */
const group: AccessGroup = {
  name: "Finance",
  mode: "additive",
  members: ["ada.lovelace@example.com", "Contractor@Agency.example", 1003],
  endDates: { "contractor@agency.example": { until: "2026-12-31", reason: "migration project" } },
};

describe("members on a day", () => {
  it.each(["2026-12-30", "2026-12-31"])("on %s the contractor still has access, and their end date is recorded", (today) => {
    expect(endDatesOn(group, today)).toEqual({
      members: ["ada.lovelace@example.com", "Contractor@Agency.example", 1003],
      expires: { "contractor@agency.example": "2026-12-31" },
      today,
    });
  });

  it("from the day after the last day, the contractor is left out and recorded as expired", () => {
    expect(endDatesOn(group, "2027-01-01")).toEqual({
      members: ["ada.lovelace@example.com", 1003],
      expired: { "contractor@agency.example": "2026-12-31" },
      today: "2027-01-01",
    });
  });

  it("a group without end dates declares its members and records nothing more", () => {
    expect(endDatesOn({ ...group, endDates: undefined }, "2027-01-01")).toEqual({ members: group.members });
  });
});
