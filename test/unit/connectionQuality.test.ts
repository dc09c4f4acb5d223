import assert from 'node:assert/strict';
import { receiveQuality, sendQuality } from '../../client/call/connectionQuality';

describe('connection quality', () => {
  it('grades what we receive by the share of packets lost between two samples', () => {
    const start = { packetsReceived: 1000, packetsLost: 10 };
    assert.equal(receiveQuality(start, { packetsReceived: 1100, packetsLost: 10 }), 'good');
    assert.equal(receiveQuality(start, { packetsReceived: 1095, packetsLost: 15 }), 'fair');
    assert.equal(receiveQuality(start, { packetsReceived: 1080, packetsLost: 30 }), 'poor');
  });

  it('says nothing when nothing was expected (muted microphone, camera off)', () => {
    const sample = { packetsReceived: 500, packetsLost: 2 };
    assert.equal(receiveQuality(sample, sample), undefined);
  });

  it('grades what we send by reported loss and round trip', () => {
    assert.equal(sendQuality(0, 0.05), 'good');
    assert.equal(sendQuality(0.05, 0.1), 'fair');
    assert.equal(sendQuality(0, 0.45), 'fair');
    assert.equal(sendQuality(0.2, 0.1), 'poor');
    assert.equal(sendQuality(undefined, undefined), undefined);
  });
});
