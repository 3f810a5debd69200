/**
 * Which jobs of a GitHub Actions workflow could run code that was never merged while holding a secret
 * (docs/workflow-trust.md). It reads the workflow as text, as a reviewer does, and answers with findings,
 * each naming FILE:LINE, the job, what is wrong and the fix. No finding is the only passing answer.
 *
 * A job HOLDS A SECRET when it, or the workflow's top-level `env:`, refers to the `secrets` context
 * (`secrets.NAME`, `secrets[…]`) or passes `secrets: inherit`: job env, step env, `with:` and `run:` alike.
 * Any secret counts, not only KANTATA_API_TOKEN: PULUMI_ACCESS_TOKEN can rewrite the stack's state.
 * (`github.token` is not the secrets context; a job gets it with the `permissions:` it asks for.)
 *
 * The events a job can run on are the workflow's triggers, narrowed by the top-level `&&` conjuncts of the
 * job's `if:` that this module understands: `github.event_name == 'E'`, a bracketed `||` of those (where
 * `github.event.schedule == '…'` stands for `schedule`), and `github.ref == 'refs/heads/main'`, which
 * excludes pull requests (their ref is refs/pull/N/merge) and every other branch. Any other conjunct is
 * ignored, which can only make a job reach more events, never fewer.
 *
 * Rules for a job that holds a secret:
 *  1. The workflow has no `pull_request_target` or `workflow_run` trigger: those run with secrets on behalf of
 *     a pull request, and are not judged here. Nor is the job a call of a reusable workflow (job-level `uses:`),
 *     whose steps are elsewhere.
 *  2. A job that can run on a pull request checks out only its base commit: every actions/checkout has
 *     `ref: ${{ github.event.pull_request.base.sha }}` (without it, the checkout is the pull request merged).
 *  3. A job that can run on any other event runs on main only: `workflow_dispatch`, and `push` to branches
 *     other than main, run the code of whichever branch they were started on, so the job's `if:` starts
 *     with `github.ref == 'refs/heads/main' &&` (schedules run on the default branch: fine). Its checkouts
 *     take no `ref:`, so they are the commit on main that started the run.
 *  4. Its `run:` scripts take nothing from another commit but the access data: the only git command that
 *     changes the working tree is `git checkout <commit> -- <paths>` with every path `access.yaml` or
 *     under `access/` (data, which the merged program parses). `git switch`, `git merge`, `git pull`,
 *     `git reset`, `git restore`, `git rebase`, `git cherry-pick`, `git am`, `git apply`, `git worktree` and
 *     `gh pr checkout` are refused.
 *  5. Every npm, pnpm or yarn install has `--ignore-scripts`: a package's install script is code that no
 *     reviewer of this repository read, and it would run with the secret.
 * Shell scripts are read command by command (split at newlines, `;`, `&&`, `||` and `|`), words split at
 * spaces; a workflow that hides commands from that (eval, a script file from the checkout) is out of reach —
 * a script file from a base-commit checkout is merged code anyway.
 */
import { LineCounter, isNode, parseDocument } from "yaml";

/** Events whose runs are on the default branch, whatever started them. */
const DEFAULT_BRANCH_EVENTS = new Set(["schedule"]);
/** The main-branch guard rule 3 asks for. */
const MAIN_ONLY = /^github\.ref\s*==\s*'refs\/heads\/main'$/;
const BASE_SHA = /^\$\{\{\s*github\.event\.pull_request\.base\.sha\s*\}\}$/;
const SECRET_REFERENCE = /\bsecrets\s*(\.|\[)/;
/** The access data a job may take from a pull request. */
const isAccessPath = (path: string) => path === "access.yaml" || path === "access" || path.startsWith("access/");
const WORKTREE_GIT = /^git\s+(checkout|switch|merge|pull|reset|restore|rebase|cherry-pick|am|apply|worktree)\b/;
const PACKAGE_INSTALL = /^(npm\s+(ci|install|i|add|rebuild)|pnpm\s+(install|i|add)|yarn(\s+(install|add))?)(\s|$)/;

type Mapping = Record<string, unknown>;
const isMapping = (value: unknown): value is Mapping => typeof value === "object" && value !== null && !Array.isArray(value);
const mapping = (value: unknown): Mapping => (isMapping(value) ? value : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** The events a workflow's `on:` names (a string, a list of them, or a mapping). */
function triggers(on: unknown): Set<string> {
  if (typeof on === "string") return new Set([on]);
  if (Array.isArray(on)) return new Set(on.filter((event): event is string => typeof event === "string"));
  return new Set(Object.keys(mapping(on)));
}

/** `expression` split at `separator` where no bracket is open and no string is quoted. */
function splitTopLevel(expression: string, separator: "&&" | "||"): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i];
    if (char === "'") quoted = !quoted;
    else if (!quoted && char === "(") depth++;
    else if (!quoted && char === ")") depth--;
    else if (!quoted && depth === 0 && expression.startsWith(separator, i)) {
      parts.push(expression.slice(start, i));
      start = i + separator.length;
      i++;
    }
  }
  parts.push(expression.slice(start));
  return parts.map((part) => part.trim());
}

/** `expression` without the brackets around all of it, if it has them. */
function unbracket(expression: string): string {
  if (!expression.startsWith("(") || !expression.endsWith(")")) return expression;
  let depth = 0;
  for (let i = 0; i < expression.length - 1; i++) {
    if (expression[i] === "(") depth++;
    else if (expression[i] === ")") depth--;
    if (depth === 0) return expression; // the first bracket closes before the end: `(a) || (b)`
  }
  return expression.slice(1, -1).trim();
}

/** The event one `||` alternative stands for, or undefined when it is not a plain test of the event. */
function eventOf(alternative: string): string | undefined {
  if (/^github\.event\.schedule\s*==\s*'[^']*'$/.test(alternative)) return "schedule";
  return /^github\.event_name\s*==\s*'([^']+)'$/.exec(alternative)?.[1];
}

/** What a job's `if:` is known to require: the events it allows (undefined: any) and whether it asks for main. */
function guard(condition: unknown): { events?: Set<string>; mainOnly: boolean } {
  // A boolean if: (or none) narrows nothing.
  const expression = (typeof condition === "string" ? condition : "true").replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, "$1").trim();
  let events: Set<string> | undefined;
  let mainOnly = false;
  for (const conjunct of splitTopLevel(expression, "&&").map(unbracket)) {
    if (MAIN_ONLY.test(conjunct)) mainOnly = true;
    const alternatives = splitTopLevel(conjunct, "||").map(eventOf);
    if (alternatives.every((event): event is string => event !== undefined)) {
      const allowed = new Set(alternatives);
      events = events ? new Set([...events].filter((event) => allowed.has(event))) : allowed;
    }
  }
  return { events, mainOnly };
}

/** The commands of a `run:` script, each as its words (quotes removed). */
const commands = (script: string): string[][] =>
  script
    .split(/\n|;|&&|\|\|?/)
    .map((command) => command.trim().split(/\s+/).filter(Boolean))
    .map((words) => words.map((word) => word.replace(/^["']|["']$/g, "")))
    .filter((words) => words.length > 0);

/** Rule 4: what a command that changes the working tree may take from another commit. */
function worktreeProblem(words: string[]): string | undefined {
  const command = words.join(" ");
  if (/^gh\s+pr\s+checkout\b/.test(command)) return "`gh pr checkout` switches to the pull request's code";
  if (!WORKTREE_GIT.test(command)) return undefined;
  const separator = words.indexOf("--");
  const paths = separator === -1 ? [] : words.slice(separator + 1);
  if (words[1] === "checkout" && paths.length > 0 && paths.every(isAccessPath)) return undefined;
  return `\`${command}\` may bring code from another commit into the working tree; only \`git checkout <commit> -- access.yaml\` (or paths under access/) may`;
}

/** Findings for one workflow: FILE:LINE: job "NAME": what is wrong, and the fix. */
export function workflowTrustFindings(source: string, file: string): string[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter });
  if (document.errors.length > 0) return [`${file}: not valid YAML: ${document.errors[0].message}`];
  const lineOf = (path: unknown[]): number => {
    const node = document.getIn(path, true);
    return lineCounter.linePos(isNode(node) && node.range ? node.range[0] : 0).line;
  };
  const workflow = mapping(document.toJS());
  const on = workflow.on;
  const events = triggers(on);
  const pushBranches = list(mapping(mapping(on).push).branches);
  const workflowSecrets = SECRET_REFERENCE.test(JSON.stringify(workflow.env ?? {}));
  const findings: string[] = [];

  for (const [name, job] of Object.entries(mapping(workflow.jobs))) {
    const where = (path: unknown[]) => `${file}:${lineOf(["jobs", name, ...path])}: job "${name}"`;
    if (!workflowSecrets && !SECRET_REFERENCE.test(JSON.stringify(job)) && mapping(job).secrets !== "inherit") continue;

    for (const event of ["pull_request_target", "workflow_run"].filter((e) => events.has(e))) {
      findings.push(`${where([])}: holds a secret in a workflow triggered by ${event}, which runs for pull requests' code; use pull_request`);
    }
    if (typeof mapping(job).uses === "string") {
      findings.push(
        `${where(["uses"])}: passes a secret to the reusable workflow ${text(mapping(job).uses)}, whose jobs are not judged here; run its steps in this workflow`,
      );
    }
    const { events: allowed, mainOnly } = guard(mapping(job).if);
    const reach = [...events].filter((event) => !allowed || allowed.has(event));
    const onPullRequests = !mainOnly && reach.some((event) => event.startsWith("pull_request"));
    const anyBranch = reach.filter(
      (event) =>
        !event.startsWith("pull_request") &&
        !DEFAULT_BRANCH_EVENTS.has(event) &&
        !(event === "push" && pushBranches.length > 0 && pushBranches.every((branch) => branch === "main")),
    );
    if (!mainOnly && anyBranch.length > 0) {
      findings.push(
        `${where(["if"])}: holds a secret and runs on ${anyBranch.join(", ")} from any branch, so with that branch's code; start its if: with github.ref == 'refs/heads/main' &&`,
      );
    }

    list(mapping(job).steps).forEach((step, index) => {
      const { uses, with: inputs, run } = mapping(step);
      const at = `${where(["steps", index])}, step ${index + 1}`;
      if (text(uses).startsWith("actions/checkout@")) {
        const ref = text(mapping(inputs).ref).trim();
        if (onPullRequests && !BASE_SHA.test(ref)) {
          findings.push(
            `${at}: checks out ${ref === "" ? "the pull request merged (no ref:)" : ref} on a pull request while holding a secret; check out ref: \${{ github.event.pull_request.base.sha }} and take access.yaml alone from the pull request`,
          );
        } else if (!onPullRequests && ref !== "") {
          findings.push(`${at}: checks out ${ref} while holding a secret; leave out ref: so it is the commit on main that started the run`);
        }
      }
      for (const words of commands(text(run))) {
        const problem = worktreeProblem(words);
        if (problem) findings.push(`${at}: ${problem}`);
        if (PACKAGE_INSTALL.test(words.join(" ")) && !words.includes("--ignore-scripts")) {
          findings.push(`${at}: \`${words.join(" ")}\` runs the packages' install scripts while holding a secret; add --ignore-scripts`);
        }
      }
    });
  }
  return findings;
}
