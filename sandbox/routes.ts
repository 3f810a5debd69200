import type { Route } from "./handler";
import { membershipRoutes } from "./resources/memberships";
import { userRoutes } from "./resources/users";
import { workspaceGroupRoutes } from "./resources/workspaceGroups";

export const API_BASE_PATH = "/api/v1";

const ROUTES: readonly Route[] = [...membershipRoutes, ...userRoutes, ...workspaceGroupRoutes];

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

const segments = (path: string): string[] => path.split("/").slice(1);
const TEMPLATES = new Map(ROUTES.map((route) => [route, segments(route.template)]));

/**
 * The path below the API base, without the optional `.json` suffix (Kantata's prose uses it, its
 * contract does not): "/api/v1/users.json" → "/users". Undefined for paths outside the API.
 */
export function apiPath(pathname: string): string | undefined {
  if (!pathname.startsWith(`${API_BASE_PATH}/`)) return undefined;
  return pathname.slice(API_BASE_PATH.length).replace(/\.json$/, "");
}

export function matchRoute(method: string, path: string): RouteMatch | undefined {
  const actual = segments(path);
  for (const [route, template] of TEMPLATES) {
    if (route.method !== method || template.length !== actual.length) continue;
    const params: Record<string, string> = {};
    const fits = template.every((part, i) => {
      if (!part.startsWith("{")) return part === actual[i];
      params[part.slice(1, -1)] = actual[i];
      return actual[i] !== "";
    });
    if (fits) return { route, params };
  }
  return undefined;
}
