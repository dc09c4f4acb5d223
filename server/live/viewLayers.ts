// Which simulcast layer a receiver needs for the size it draws a video at.
// Cameras send a quarter, half and full resolution (client/call/sendEncodings.ts):
// 180, 360 and 720 lines from a 720p camera. A tile gets the smallest layer
// at least as tall as it is drawn, so nobody downloads pixels they cannot see.

/** The lines of each layer from a 720p camera, smallest first. */
const layerHeights = [180, 360, 720];

/** The spatial layer for a video drawn `height` device pixels tall, of `layerCount` layers sent. */
export function spatialLayerFor(height: number, layerCount: number): number {
  const top = Math.max(layerCount - 1, 0);
  const needed = layerHeights.findIndex((lines) => height <= lines);
  return Math.min(needed === -1 ? top : needed, top);
}
