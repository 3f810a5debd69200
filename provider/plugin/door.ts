import { InputError } from "../../lib/errors";
import { type Router, routerFor } from "../router";
import type { ProviderContext } from "../runtime/context";
import { KIND_PROPERTY, type ResourceKind } from "../runtime/kind";
import type { Bag } from "../runtime/kindProvider";
import { providerContext } from "../runtime/runtime";
import { type LookupResult, getUser, getWorkspaceGroup, getWorkspaceGroupMembers } from "../lookups/lookups";

/** The plugin's package: every type token is `kantata:index:<Kind>`. */
export const PACKAGE = "kantata";
const TYPE_PREFIX = `${PACKAGE}:index:`;
const KINDS: readonly ResourceKind[] = ["WorkspaceGroup", "WorkspaceGroupMembers", "UserGroupMembership", "AccessRules"];

/** The resource's type token, the part of its URN after the last parent type (`…::parent$kantata:index:Kind::name`). */
export function typeOfUrn(urn: string): string {
  const qualifiedType = urn.split("::")[2] ?? "";
  return qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1);
}

function kindOfUrn(urn: string): ResourceKind {
  const type = typeOfUrn(urn);
  const kind = KINDS.find((candidate) => `${TYPE_PREFIX}${candidate}` === type);
  if (kind === undefined)
    throw new InputError(
      `The kantata provider has no resource type ${JSON.stringify(type)}; its types are ${KINDS.map((k) => TYPE_PREFIX + k).join(", ")}.`,
    );
  return kind;
}

/**
 * The plugin door: the engine's calls for `kantata:index:<Kind>` resources, turned into the calls the
 * dynamic provider's router answers. A plugin resource carries its type in its URN where a dynamic one
 * carries `__kind` in its properties, and the plugin is told the URN where the dynamic provider is sent
 * `__urn` as an input: the door writes both into the properties, and everything behind it (checks,
 * planning, messages, state) is the kinds' own code, the same for both doors. State records `__kind`
 * too, so `kantata-access review` and `report` read either door's previews and stacks alike.
 */
export function pluginDoor(router: Router = routerFor(providerContext)) {
  const addressed = (urn: string, properties: Bag): Bag => ({ ...properties, [KIND_PROPERTY]: kindOfUrn(urn), __urn: urn });
  /**
   * A program's arguments as the kinds read them. The schema's `today` (the day end dates are judged
   * against) is what the dynamic class passes as the hidden `__today`.
   */
  const declared = (urn: string, { today, ...properties }: Bag): Bag =>
    addressed(urn, { ...properties, ...(today !== undefined && { __today: today }) });
  /** Properties from state: written by this door, so they carry the kind; an import has none yet. */
  const recorded = (urn: string, properties: Bag): Bag => {
    if (Object.keys(properties).length === 0)
      throw new InputError(
        `${typeOfUrn(urn)} cannot be imported with \`pulumi import\`: declare the resource with \`adoptExisting: true\` to take over what exists.`,
      );
    return { ...properties, [KIND_PROPERTY]: kindOfUrn(urn) };
  };
  return {
    check: (urn: string, olds: Bag, news: Bag) => router.check(olds, declared(urn, news)),
    diff: (id: string, urn: string, olds: Bag, news: Bag) => router.diff(id, recorded(urn, olds), addressed(urn, news)),
    create: (urn: string, inputs: Bag) => router.create(addressed(urn, inputs)),
    read: (id: string, urn: string, props: Bag) => router.read(id, recorded(urn, props)),
    update: (id: string, urn: string, olds: Bag, news: Bag) => router.update(id, recorded(urn, olds), addressed(urn, news)),
    delete: (id: string, urn: string, props: Bag) => router.delete(id, recorded(urn, props)),
    invoke: (token: string, args: Bag): Promise<LookupResult<object>> => {
      const lookup = LOOKUPS[token];
      if (lookup === undefined)
        throw new InputError(
          `The kantata provider has no function ${JSON.stringify(token)}; its functions are ${Object.keys(LOOKUPS).join(", ")}.`,
        );
      return lookup(providerContext(), args);
    },
  } satisfies Record<string, (...args: never[]) => Promise<unknown>>;
}

export type PluginDoor = ReturnType<typeof pluginDoor>;

const LOOKUPS: Record<string, (ctx: ProviderContext, args: Bag) => Promise<LookupResult<object>>> = {
  [`${TYPE_PREFIX}getUser`]: getUser,
  [`${TYPE_PREFIX}getWorkspaceGroup`]: getWorkspaceGroup,
  [`${TYPE_PREFIX}getWorkspaceGroupMembers`]: getWorkspaceGroupMembers,
};
