// The pre-join network check's judgement, and the far end it describes to
// the browser (the browser side itself runs in test/e2e/networkPaths).
import assert from 'node:assert/strict';
import { probeAnswer, slowRttMs, verdictOf, type PathCheck, type PathKind } from '../../client/prejoin/networkCheck';

const all: PathKind[] = ['direct-udp', 'direct-tcp', 'relay-udp', 'relay-tcp', 'relay-tls'];

function paths(reached: Partial<Record<PathKind, number>>): PathCheck[] {
  return all.map((path) => ({ path, reached: reached[path] !== undefined, ms: reached[path] ?? null }));
}

describe('the pre-join network check', () => {
  it('calls direct UDP good, or slow past a round trip people talk over each other at', () => {
    assert.deepEqual(verdictOf(paths({ 'direct-udp': 40, 'direct-tcp': 42, 'relay-tls': 120 })), { verdict: 'good', rttMs: 40 });
    assert.deepEqual(verdictOf(paths({ 'direct-udp': slowRttMs + 1 })), { verdict: 'slow', rttMs: slowRttMs + 1 });
  });

  it('calls anything else that gets through limited, and nothing blocked', () => {
    assert.deepEqual(verdictOf(paths({ 'direct-tcp': 50, 'relay-tls': 150 })), { verdict: 'limited', rttMs: 50 });
    assert.deepEqual(verdictOf(paths({ 'relay-tls': 150 })), { verdict: 'limited', rttMs: null });
    assert.deepEqual(verdictOf(paths({})), { verdict: 'blocked', rttMs: null });
    assert.deepEqual(verdictOf([]), { verdict: 'blocked', rttMs: null });
  });

  it('describes the probe transport as an ICE-lite data channel answer, with every candidate', () => {
    const sdp = probeAnswer(
      {
        protocol: 'tcp',
        iceParameters: { usernameFragment: 'ufrag1', password: 'secretpassword' },
        iceCandidates: [{ foundation: 'tcpcandidate', priority: 1076302079, address: '198.51.100.7', protocol: 'tcp', port: 40000, type: 'host', tcpType: 'passive' }],
        fingerprint: { algorithm: 'sha-256', value: 'AB:CD' },
      },
      '0',
    );
    const lines = sdp.split('\r\n');
    for (const expected of [
      'a=ice-lite',
      'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
      'a=mid:0',
      'a=ice-ufrag:ufrag1',
      'a=ice-pwd:secretpassword',
      'a=fingerprint:sha-256 AB:CD',
      'a=candidate:tcpcandidate 1 tcp 1076302079 198.51.100.7 40000 typ host tcptype passive',
      'a=end-of-candidates',
    ]) {
      assert.ok(lines.includes(expected), `${expected} in\n${sdp}`);
    }
  });
});
