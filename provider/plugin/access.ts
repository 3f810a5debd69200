import { existsSync } from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { ConstructResult } from "@pulumi/pulumi/provider";
import type { AccessFile } from "../../access/accessFile";
import { loadAccessFile } from "../../access/load";
import { declareAccessWith } from "../../access/declare";
import { InputError } from "../../lib/errors";
import { PACKAGE } from "./door";
import { PLUGIN_CLASSES } from "./resources";

export const ACCESS_TYPE = `${PACKAGE}:index:Access`;

/**
 * `kantata:index:Access`: an access file (or folder) declared from any language, with exactly the
 * resources `declareAccess` declares in a TypeScript program, as this component's children. The file is
 * read from the program's directory (the plugin's working directory), at every preview and update.
 */
export async function constructAccess(
  name: string,
  type: string,
  inputs: pulumi.Inputs,
  options: pulumi.ComponentResourceOptions,
): Promise<ConstructResult> {
  if (type !== ACCESS_TYPE)
    throw new InputError(`The kantata provider has no component ${JSON.stringify(type)}; its component is ${ACCESS_TYPE}.`);
  const file: unknown = inputs.file;
  if (typeof file !== "string" || file.trim() === "")
    throw new InputError(
      `${ACCESS_TYPE} "${name}": file must be the path of an access file, such as "access.yaml", as plain text; got ${JSON.stringify(file) ?? typeof file}.`,
    );
  const where = path.resolve(process.cwd(), file);
  if (!existsSync(where))
    throw new InputError(
      `${ACCESS_TYPE} "${name}": there is no access file ${where} (file ${JSON.stringify(file)}, relative to the program's directory).`,
    );
  const component = new Access(name, loadAccessFile(where), options);
  return { urn: component.urn, state: { groups: component.groups } };
}

class Access extends pulumi.ComponentResource {
  /** The groups the file declares (those it deletes left out), by name. */
  readonly groups: string[];
  constructor(name: string, access: AccessFile, options: pulumi.ComponentResourceOptions) {
    super(ACCESS_TYPE, name, {}, options);
    declareAccessWith(PLUGIN_CLASSES, access, { parent: this });
    this.groups = access.groups.filter((group) => !group.delete).map((group) => group.name);
    this.registerOutputs({ groups: this.groups });
  }
}
