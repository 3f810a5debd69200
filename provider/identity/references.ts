/**
 * How people and groups are named in a program: users by email address or by id, groups by name or by
 * id. Pure parsing and normalisation; nothing here talks to Kantata.
 */

/** Loose on purpose: Kantata decides what a valid address is; this only catches what cannot be one. */
const EMAIL_SHAPE = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;
const DECIMAL_ID = /^\s*\d+\s*$/;

/** Kantata compares addresses case-insensitively, so the provider keys people by the lower-cased form. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** Group names are unique per account, compared case-insensitively (the client's rule, for the same comparisons). */
export { foldGroupName as foldName } from "../kantata/types";

export type UserRef = { kind: "email"; email: string } | { kind: "id"; id: number };
export type GroupRef = { kind: "name"; name: string } | { kind: "id"; id: number };

const asId = (value: unknown): number | undefined => {
  const parsed = typeof value === "number" ? value : typeof value === "string" && DECIMAL_ID.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : undefined;
};

/** A user as declared: an email address, or a positive id (number or decimal string). Undefined if neither. */
export function parseUserRef(value: unknown): UserRef | undefined {
  const id = asId(value);
  if (id !== undefined) return { kind: "id", id };
  if (typeof value === "string" && EMAIL_SHAPE.test(value.trim())) return { kind: "email", email: normalizeEmail(value) };
  return undefined;
}

/** A group as declared: its name, or a positive id (number or decimal string). Undefined if neither. */
export function parseGroupRef(value: unknown): GroupRef | undefined {
  const id = asId(value);
  if (id !== undefined) return { kind: "id", id };
  if (typeof value === "string" && value.trim() !== "") return { kind: "name", name: value.trim() };
  return undefined;
}

/**
 * The key a member has in state: the normalised email, or the id's decimal form when declared by id.
 * State is keyed this way so that the engine's key-by-key diff shows one line per person.
 */
export const userKey = (ref: UserRef): string => (ref.kind === "email" ? ref.email : String(ref.id));
