// The layer a receiver gets for the size it draws a video at: the smallest
// at least as tall, never more than the sender sends.
import assert from 'node:assert/strict';
import { spatialLayerFor } from '../../server/live/viewLayers';

describe('the simulcast layer for a tile’s size', () => {
  it('gives the smallest layer at least as tall as the tile, within what is sent', () => {
    assert.equal(spatialLayerFor(120, 3), 0);
    assert.equal(spatialLayerFor(180, 3), 0);
    assert.equal(spatialLayerFor(181, 3), 1);
    assert.equal(spatialLayerFor(360, 3), 1);
    assert.equal(spatialLayerFor(720, 3), 2);
    assert.equal(spatialLayerFor(1440, 3), 2, 'a big screen gets the top layer, not more');
    assert.equal(spatialLayerFor(720, 2), 1, 'a sender with two layers: its top one');
    assert.equal(spatialLayerFor(720, 1), 0);
  });
});
