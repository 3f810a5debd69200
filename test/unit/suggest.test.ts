import { closestMatch } from "../../provider/identity/suggest";

const addresses = ["ada.lovelace@example.com", "alan.turing@example.com", "grace.hopper@example.com"];

describe("suggesting the closest known name", () => {
  it("suggests the address a typo was meant to be", () => {
    expect(closestMatch("ada.lovelase@example.com", addresses)).toBe("ada.lovelace@example.com");
    expect(closestMatch("grace.hoper@example.com", addresses)).toBe("grace.hopper@example.com");
  });

  it("ignores case when comparing, and returns the candidate as spelt", () => {
    expect(closestMatch("delivery-emae", ["Delivery-EMEA", "Delivery-AMER", "Finance"])).toBe("Delivery-EMEA");
  });

  it("suggests nothing when no candidate is close", () => {
    expect(closestMatch("nobody.at.all@elsewhere.org", addresses)).toBeUndefined();
    expect(closestMatch("Marketing", ["Delivery-EMEA", "Delivery-AMER", "Finance"])).toBeUndefined();
    expect(closestMatch("anything", [])).toBeUndefined();
  });

  it("never suggests the very name that was asked for", () => {
    expect(closestMatch("Finance", ["Finance"])).toBeUndefined();
    expect(closestMatch("FINANCE", ["finance"])).toBeUndefined();
  });

  it("allows at least 2 edits for short names and a fifth of the length for long ones", () => {
    expect(closestMatch("abcd", ["abxy"])).toBe("abxy"); // 2 edits, short name
    expect(closestMatch("abcd", ["axyz"])).toBeUndefined(); // 3 edits
    const long = "a".repeat(30); // 30 characters: 6 edits allowed
    expect(closestMatch(long, ["b".repeat(6) + "a".repeat(24)])).toBe("b".repeat(6) + "a".repeat(24));
    expect(closestMatch(long, ["b".repeat(7) + "a".repeat(23)])).toBeUndefined();
  });

  it("breaks ties the same way whatever order the candidates come in", () => {
    const tied = ["team-b", "team-c", "team-a"]; // each one edit from "team-x"
    expect(closestMatch("team-x", tied)).toBe("team-a");
    expect(closestMatch("team-x", [...tied].reverse())).toBe("team-a");
    expect(closestMatch("team-x", ["team-c", "team-a", "team-b"])).toBe("team-a");
  });
});
