// What the server does with each video a participant receives (VideoFlow),
// with stand-ins for mediasoup's consumer: who is told why no picture comes,
// and how requests that overlap leave the latest state.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Consumer } from 'mediasoup/types';
import type { Participant } from '../../server/live/participant';
import { VideoFlow } from '../../server/live/videoFlow';
import type { ForwardedVideo } from '../../shared/protocol';

/** A simulcast video consumer whose pause and resume take a little while, as a worker's answer does. */
class StandInConsumer extends EventEmitter {
  readonly id = 'consumer-1';
  readonly kind = 'video';
  readonly type = 'simulcast';
  readonly closed = false;
  paused = true;
  producerPaused = false;
  preferredLayers: { spatialLayer: number; temporalLayer?: number } | undefined;

  async pause(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.paused = true;
  }

  async resume(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.paused = false;
  }

  async setPreferredLayers(layers: { spatialLayer: number; temporalLayer?: number }): Promise<void> {
    this.preferredLayers = layers;
    return Promise.resolve();
  }
}

/** A receiver of one simulcast video whose browser started it, watched by a VideoFlow. */
async function startedReceiver() {
  const consumer = new StandInConsumer();
  const told: ForwardedVideo[] = [];
  const state = { receivesVideo: true };
  const standIn = {
    closed: false,
    get receivesVideo() {
      return state.receivesVideo;
    },
    videoOnTrial: false,
    consumers: () => [consumer],
    channel: { notify: (_event: string, payload: { forwarded: ForwardedVideo }) => told.push(payload.forwarded), disconnect: () => undefined },
  };
  const participant = standIn as unknown as Participant;
  const asConsumer = consumer as unknown as Consumer;
  const flow = new VideoFlow((_participant, operation) => operation());
  flow.watchLayers(participant, asConsumer);
  await flow.start(participant, asConsumer);
  return { consumer, participant, asConsumer, flow, told, state };
}

describe('the video a participant receives', () => {
  it('tells the receiver when none of it gets through, unless it was paused on purpose', async () => {
    const { consumer, told } = await startedReceiver();
    consumer.emit('layerschange', { spatialLayer: 2, temporalLayer: 2 });
    assert.deepEqual(told, []);
    // The sender's stream stopped arriving, not paused on the server: their link held it back.
    consumer.emit('layerschange', null);
    assert.deepEqual(told, ['none']);
    consumer.emit('layerschange', { spatialLayer: 0, temporalLayer: 0 });
    assert.deepEqual(told, ['none', 'whole']);
    // Paused by its sender on the server: the receiver already knows why from the sender's state.
    consumer.producerPaused = true;
    consumer.emit('layerschange', null);
    assert.deepEqual(told, ['none', 'whole']);
  });

  it('says a picture is lower when less than the tile needs gets through', async () => {
    const { consumer, participant, asConsumer, flow, told } = await startedReceiver();
    await flow.setView(participant, asConsumer, 720, 3);
    consumer.emit('layerschange', { spatialLayer: 0, temporalLayer: 2 });
    assert.deepEqual(told, ['lower']);
  });

  it('leaves the latest state when requests overlap', async () => {
    const { consumer, participant, flow, state } = await startedReceiver();
    assert.equal(consumer.paused, false);
    // Held back, then tried again at once, both sent without waiting for the first answer.
    state.receivesVideo = false;
    const holding = flow.applyAll(participant);
    state.receivesVideo = true;
    const trying = flow.applyAll(participant);
    await Promise.all([holding, trying]);
    assert.equal(consumer.paused, false, 'video flows, as the second request said');
    state.receivesVideo = false;
    await flow.applyAll(participant);
    assert.equal(consumer.paused, true);
  });
});
