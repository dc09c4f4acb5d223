// Payload validation at the signalling boundary.
import assert from 'node:assert/strict';
import {
  connectTransportRequestSchema,
  consumeRequestSchema,
  createTransportRequestSchema,
  joinRequestSchema,
  produceRequestSchema,
  setRtpCapabilitiesRequestSchema,
} from '../../shared/schemas';

const uuid = '0b6f1a4e-8c1d-4c55-9d0e-2f7a7d3c9b11';
const fingerprint = Array.from({ length: 32 }, () => 'AB').join(':');

describe('signalling payload schemas', () => {
  describe('join', () => {
    const inviteToken = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjMSJ9.c2lnbmF0dXJl';

    it('accepts a guest with an invite token and trims the name', () => {
      const parsed = joinRequestSchema.parse({ as: 'guest', inviteToken, displayName: '  Elena Petrova ' });
      assert.deepEqual(parsed, { as: 'guest', inviteToken, displayName: 'Elena Petrova' });
    });

    it('accepts a doctor naming a consult', () => {
      assert.deepEqual(joinRequestSchema.parse({ as: 'doctor', consultId: 'abc-123_X' }), { as: 'doctor', consultId: 'abc-123_X' });
    });

    it('accepts names in any script', () => {
      for (const displayName of ['أميرة حداد', 'Елена Петрова', '王芳', "Seán O'Brien"]) {
        assert.ok(joinRequestSchema.safeParse({ as: 'guest', inviteToken, displayName }).success, displayName);
      }
    });

    const bad: [string, unknown][] = [
      ['no payload', undefined],
      ['a string', 'join'],
      ['an array', [{ as: 'doctor', consultId: 'c1' }]],
      ['an unknown kind of joiner', { as: 'admin', consultId: 'c1' }],
      ['a role claimed by the client', { as: 'doctor', consultId: 'c1', role: 'doctor' }],
      ['a guest without a token', { as: 'guest', displayName: 'A' }],
      ['a token that is not a JWT', { as: 'guest', inviteToken: 'abc', displayName: 'A' }],
      ['an oversized token', { as: 'guest', inviteToken: `${'a'.repeat(3000)}.b.c`, displayName: 'A' }],
      ['an empty name', { as: 'guest', inviteToken, displayName: '   ' }],
      ['a name too long', { as: 'guest', inviteToken, displayName: 'x'.repeat(65) }],
      ['control characters in the name', { as: 'guest', inviteToken, displayName: 'A\u0007B' }],
      ['a number for the name', { as: 'guest', inviteToken, displayName: 42 }],
      ['a consult id with a slash', { as: 'doctor', consultId: '../etc' }],
      ['a consult id too long', { as: 'doctor', consultId: 'c'.repeat(65) }],
    ];
    for (const [what, payload] of bad) {
      it(`refuses ${what}`, () => assert.equal(joinRequestSchema.safeParse(payload).success, false));
    }
  });

  it('createTransport takes only send or receive', () => {
    assert.ok(createTransportRequestSchema.safeParse({ direction: 'send' }).success);
    assert.ok(createTransportRequestSchema.safeParse({ direction: 'receive' }).success);
    assert.equal(createTransportRequestSchema.safeParse({ direction: 'both' }).success, false);
    assert.equal(createTransportRequestSchema.safeParse({}).success, false);
  });

  it('connectTransport needs a UUID and a real DTLS fingerprint', () => {
    const good = { transportId: uuid, dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: fingerprint }] } };
    assert.ok(connectTransportRequestSchema.safeParse(good).success);
    assert.equal(connectTransportRequestSchema.safeParse({ ...good, transportId: 'not-a-uuid' }).success, false);
    assert.equal(
      connectTransportRequestSchema.safeParse({ ...good, dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'zz' }] } }).success,
      false,
    );
    assert.equal(connectTransportRequestSchema.safeParse({ ...good, dtlsParameters: { fingerprints: [] } }).success, false);
  });

  describe('produce', () => {
    const audio = {
      transportId: uuid,
      kind: 'audio',
      source: 'microphone',
      rtpParameters: {
        mid: '0',
        codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } }],
        headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 }],
        encodings: [{ ssrc: 1234, dtx: true }],
        rtcp: { cname: 'abc', reducedSize: true },
      },
    };

    it('accepts what mediasoup-client sends for a microphone', () => {
      assert.ok(produceRequestSchema.safeParse(audio).success);
    });

    it('refuses a camera that claims to send audio', () => {
      assert.equal(produceRequestSchema.safeParse({ ...audio, source: 'camera' }).success, false);
    });

    it('refuses parameters without codecs, bad payload types or unknown extensions', () => {
      const withParameters = (rtpParameters: object) => produceRequestSchema.safeParse({ ...audio, rtpParameters }).success;
      assert.equal(withParameters({ ...audio.rtpParameters, codecs: [] }), false);
      assert.equal(withParameters({ ...audio.rtpParameters, codecs: [{ ...audio.rtpParameters.codecs[0], payloadType: 300 }] }), false);
      assert.equal(withParameters({ ...audio.rtpParameters, headerExtensions: [{ uri: 'urn:example:evil', id: 1 }] }), false);
      assert.equal(withParameters({ ...audio.rtpParameters, encodings: [{ ssrc: -1 }] }), false);
    });
  });

  it('consume needs a producer UUID', () => {
    assert.ok(consumeRequestSchema.safeParse({ producerId: uuid }).success);
    assert.equal(consumeRequestSchema.safeParse({ producerId: 7 }).success, false);
  });

  it('setRtpCapabilities bounds the codec list', () => {
    const codec = { kind: 'audio', mimeType: 'audio/opus', preferredPayloadType: 100, clockRate: 48000, channels: 2 };
    assert.ok(setRtpCapabilitiesRequestSchema.safeParse({ rtpCapabilities: { codecs: [codec] } }).success);
    assert.equal(
      setRtpCapabilitiesRequestSchema.safeParse({ rtpCapabilities: { codecs: Array.from({ length: 65 }, () => codec) } }).success,
      false,
    );
  });
});
