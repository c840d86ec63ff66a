'use strict';
/**
 * Runs the deploy tier's scenario files longest first (by the order below, then by name), so the
 * two jest workers finish at about the same time; jest's own order needs timings from a previous
 * run, which a clean CI checkout does not have.
 */
const Sequencer = require('@jest/test-sequencer').default;
const path = require('path');

const LONGEST_FIRST = ['multi-region', 'seed-walkthrough', 'default-app', 'failures', 'emulator', 'checks'];

class DeploySequencer extends Sequencer {
  sort(tests) {
    const rank = (t) => {
      const name = path.basename(t.path).replace(/\.test\.ts$/, '');
      const i = LONGEST_FIRST.indexOf(name);
      return i === -1 ? LONGEST_FIRST.length : i;
    };
    return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  }
}

module.exports = DeploySequencer;
