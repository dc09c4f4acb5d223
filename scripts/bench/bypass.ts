// The calibration path: the same synthetic audio and video, sent by the same
// werift stack in the same process, but from one peer connection straight to
// another over loopback (DTLS-SRTP, no SFU). What it measures is the bots'
// own share of the latency (stamping, encryption, the event loop, the kernel);
// subtracting it from the SFU path leaves what the SFU adds. It runs during
// every measurement window, so it sees the same load as the bots.
import { MediaStreamTrack, RTCPeerConnection } from 'msc-node';
import { botCapabilities } from './bot';
import { AudioSource, type Pacer, type PathStats, type SentCounts, sentBy, StreamReceiver, type VideoStreamPlan, VideoSource } from './media';

const connectTimeoutMs = 15_000;

/** A peer with the bots' codecs and no STUN server (werift's default is a public one, unreachable here). */
function peer(): RTCPeerConnection {
  return new RTCPeerConnection({ iceServers: [], ...botCapabilities() });
}

async function gathered(connection: RTCPeerConnection): Promise<string> {
  if (connection.iceGatheringState !== 'complete') {
    await new Promise<void>((resolve) => {
      const { unSubscribe } = connection.iceGatheringStateChange.subscribe((state) => {
        if (state === 'complete') {
          unSubscribe();
          resolve();
        }
      });
    });
  }
  const description = connection.localDescription;
  if (!description) throw new Error('no local description');
  return description.sdp;
}

export class BypassProbe {
  readonly #sender: RTCPeerConnection;
  readonly #receiver: RTCPeerConnection;
  readonly #pacer: Pacer;
  readonly #sources: (AudioSource | VideoSource)[];
  readonly #streams: StreamReceiver[] = [];

  private constructor(sender: RTCPeerConnection, receiver: RTCPeerConnection, pacer: Pacer, sources: (AudioSource | VideoSource)[]) {
    this.#sender = sender;
    this.#receiver = receiver;
    this.#pacer = pacer;
    this.#sources = sources;
  }

  /** One participant's audio and `video` (the stream a receiver gets through the SFU), straight from one peer to another. */
  static async start(video: VideoStreamPlan, pacer: Pacer, path: PathStats): Promise<BypassProbe> {
    const sender = peer();
    const receiver = peer();
    const audioTrack = new MediaStreamTrack({ kind: 'audio' });
    const videoTrack = new MediaStreamTrack({ kind: 'video' });
    const audio = new AudioSource((packet) => audioTrack.writeRtp(packet));
    const camera = new VideoSource((packet) => videoTrack.writeRtp(packet), video.bitrate, video.framesPerSecond, video.temporalLayers);
    const probe = new BypassProbe(sender, receiver, pacer, [audio, camera]);
    try {
      sender.addTransceiver(audioTrack, { direction: 'sendonly' });
      const videoSender = sender.addTransceiver(videoTrack, { direction: 'sendonly' });
      videoSender.sender.onPictureLossIndication.subscribe(() => camera.requestKeyFrame());
      receiver.onTrack.subscribe((track) => {
        const stream = new StreamReceiver(path, track.kind === 'audio' ? 'audio' : 'video');
        probe.#streams.push(stream);
        track.onReceiveRtp.subscribe((packet) => stream.onPayload(packet.payload));
      });
      await sender.setLocalDescription(await sender.createOffer());
      await receiver.setRemoteDescription({ type: 'offer', sdp: await gathered(sender) });
      await receiver.setLocalDescription(await receiver.createAnswer());
      await sender.setRemoteDescription({ type: 'answer', sdp: await gathered(receiver) });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the bypass peers did not connect')), connectTimeoutMs);
        const check = (): void => {
          if (sender.connectionState === 'connected' && receiver.connectionState === 'connected') {
            clearTimeout(timer);
            resolve();
          }
        };
        sender.connectionStateChange.subscribe(check);
        receiver.connectionStateChange.subscribe(check);
        check();
      });
      for (const source of probe.#sources) pacer.add(source);
    } catch (error) {
      await probe.close();
      throw error;
    }
    return probe;
  }

  get sent(): SentCounts {
    return sentBy(this.#sources);
  }

  async close(): Promise<void> {
    for (const source of this.#sources) this.#pacer.remove(source);
    for (const stream of this.#streams) stream.close();
    await Promise.allSettled([this.#sender.close(), this.#receiver.close()]);
  }
}
