// Jest's test sequencer, with the engine suites (the "dist" project) before every other file. Jest orders a
// run by each file's duration in its cache, and without one (a fresh clone, as in CI) by file size, which
// puts a short file of long Pulumi runs (test/truth) behind hundreds of quick unit files: one worker then
// ends the run alone. Engine files take minutes and unit files seconds, so starting them first keeps both
// workers busy to the end. Within each part the default order stands.
const Sequencer = require("@jest/test-sequencer").default;

class EngineSuitesFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const isEngine = (test) => test.context.config.displayName?.name === "dist";
    return [...sorted.filter(isEngine), ...sorted.filter((test) => !isEngine(test))];
  }
}

module.exports = EngineSuitesFirst;
