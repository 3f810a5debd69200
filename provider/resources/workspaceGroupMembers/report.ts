import { type MemberMap, type MembershipMode, type MembershipPlan, namePeople } from "../../plan/memberships";

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * What a plan does, in one line for the person running Pulumi: who gains access, who loses it, who
 * stays as they are — people by email, the first few of each. A warning when people lose access whom
 * this resource never declared (an authoritative takeover, or members added outside code); otherwise
 * information. Undefined for a plan that changes nobody's access. `created`: the group is new in this change.
 */
export function describePlan(
  group: string,
  mode: MembershipMode,
  plan: MembershipPlan,
  managedBefore: MemberMap | undefined,
  groupIs: "existing" | "created" = "existing",
): { severity: "info" | "warning"; message: string } | undefined {
  const gains = Object.keys(plan.gains);
  const losses = Object.keys(plan.losses);
  const staying = Object.keys(plan.unchanged);
  if (gains.length + losses.length + staying.length === 0) return undefined;
  const known = new Set(Object.values(managedBefore ?? {}));
  const outsiders = losses.filter((key) => !known.has(plan.losses[key]));
  const parts: string[] = [];
  if (losses.length > 0) {
    const who = outsiders.length === losses.length ? " not declared in code" : "";
    parts.push(`${count(losses.length, `person${who} loses`, `people${who} lose`)} access: ${namePeople(losses)}`);
  }
  if (gains.length > 0) parts.push(`${count(gains.length, "person gains", "people gain")} access: ${namePeople(gains)}`);
  if (staying.length > 0)
    parts.push(`${count(staying.length, "member stays", "members stay")} as they are (already in the group): ${namePeople(staying)}`);
  const subject =
    groupIs === "created"
      ? `workspace group "${group}" is created in this change (${mode})`
      : managedBefore === undefined
        ? `workspace group "${group}" comes under management (${mode})`
        : `workspace group "${group}" (${mode})`;
  return { severity: outsiders.length > 0 ? "warning" : "info", message: `${subject}: ${parts.join("; ")}.` };
}
