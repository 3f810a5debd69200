import { foldName, normalizeEmail, parseGroupRef, parseUserRef, userKey } from "../../provider/identity/references";

describe("naming a user", () => {
  it.each([
    [1003, { kind: "id", id: 1003 }],
    ["1003", { kind: "id", id: 1003 }],
    [" 1003 ", { kind: "id", id: 1003 }],
    ["Ada.Lovelace@Example.com", { kind: "email", email: "ada.lovelace@example.com" }],
    ["  grace.hopper@example.com ", { kind: "email", email: "grace.hopper@example.com" }],
  ])("reads %p as %p", (value, expected) => {
    expect(parseUserRef(value)).toEqual(expected);
  });

  it.each([
    0,
    -1,
    1.5,
    Number.MAX_SAFE_INTEGER + 1,
    NaN,
    "",
    "  ",
    "ada",
    "ada@",
    "@example.com",
    "ada@example",
    "a b@example.com",
    "a@b.com,c@d.com",
    "1e3",
    "0x10",
    null,
    undefined,
    true,
    {},
    [1003],
  ])("refuses %p, which is neither an email address nor a positive id", (value) => {
    expect(parseUserRef(value)).toBeUndefined();
  });

  it("keys a person by the normalised email, or by the id's decimal form", () => {
    expect(userKey(parseUserRef("ADA.Lovelace@example.COM")!)).toBe("ada.lovelace@example.com");
    expect(userKey(parseUserRef(1003)!)).toBe("1003");
    expect(userKey(parseUserRef("1003")!)).toBe(userKey(parseUserRef(1003)!));
  });

  it("normalises an email by trimming and lower-casing it, and nothing else", () => {
    expect(normalizeEmail("  Ada.Lovelace+Ops@Example.COM\t")).toBe("ada.lovelace+ops@example.com");
    expect(normalizeEmail("ada.lovelace@example.com")).toBe("ada.lovelace@example.com");
  });
});

describe("naming a group", () => {
  it.each([
    [5521, { kind: "id", id: 5521 }],
    ["5521", { kind: "id", id: 5521 }],
    ["Delivery-EMEA", { kind: "name", name: "Delivery-EMEA" }],
    ["  Finance ", { kind: "name", name: "Finance" }],
  ])("reads %p as %p, keeping the name's case for messages", (value, expected) => {
    expect(parseGroupRef(value)).toEqual(expected);
  });

  it.each([0, -5521, 1.5, "", "   ", null, undefined, false, ["Finance"]])("refuses %p", (value) => {
    expect(parseGroupRef(value)).toBeUndefined();
  });

  it("folds names for comparison by trimming and ignoring case", () => {
    expect(foldName(" DELIVERY-emea ")).toBe(foldName("Delivery-EMEA"));
  });
});
