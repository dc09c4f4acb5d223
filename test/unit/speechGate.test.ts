// Ducking under the interpreter turns on with their first word and off only
// after a real pause, not between words.
import assert from 'node:assert/strict';
import { SpeechGate } from '../../client/call/speechGate';

describe('speech gate (ducking under the interpreter)', () => {
  it('opens at once on speech and closes only after a pause longer than the hold', () => {
    const gate = new SpeechGate({ threshold: 0.02, holdMs: 800 });
    assert.equal(gate.update(0.001, 0), false, 'silence');
    assert.equal(gate.update(0.05, 100), true, 'speech');
    assert.equal(gate.update(0.001, 500), true, 'a pause between words');
    assert.equal(gate.update(0.001, 899), true);
    assert.equal(gate.update(0.001, 900), false, 'a real pause');
    assert.equal(gate.update(0.03, 1000), true);
  });
});
