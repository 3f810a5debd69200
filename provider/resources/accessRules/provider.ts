import { isUnknown, refreshed, requireKnown } from "../../runtime/inputs";
import type { KindProvider } from "../../runtime/kindProvider";
import { checkAccessRules } from "./check";
import { RULES_ID, decodeCheckedInputs, decodeOutputs, outputsOf } from "./state";

/**
 * Access rules change nobody's access: `check` judges them (and fails the preview when the change
 * breaks one); create and update record them and their evaluation; delete and read have nothing in
 * Kantata OX to touch.
 */
export const accessRulesProvider: KindProvider = {
  check: (ctx, _olds, news) => checkAccessRules(ctx, news),

  async diff(_ctx, _id, oldBag, newBag) {
    const news = decodeCheckedInputs(newBag);
    const changes = isUnknown(news.rules) || JSON.stringify(decodeOutputs(oldBag).rules) !== JSON.stringify(news.rules);
    return { changes, replaces: [] };
  },

  async create(_ctx, bag) {
    return { id: RULES_ID, outs: outputsOf(requireKnown(decodeCheckedInputs(bag))) };
  },

  async read(_ctx, id, bag) {
    const outs = decodeOutputs(bag);
    return refreshed(id, outs, { rules: outs.rules, ...(outs.__urn !== undefined && { __urn: outs.__urn }) });
  },

  async update(_ctx, _id, _olds, bag) {
    return { outs: outputsOf(requireKnown(decodeCheckedInputs(bag))) };
  },

  async delete() {},
};
