// The bots' camera, sent as one stream or as browsers send it in simulcast
// (client/call/sendEncodings.ts): three RTP streams, rids r0, r1 and r2, at a
// quarter, half and full of the bitrate, each with three temporal layers.
//
// werift's sender sends one SSRC per track ("sender simulcast unsupported"),
// so a simulcast camera writes its layers straight into the send transport's
// SRTP session, each with an SSRC of its own and the MID and RID header
// extensions, as a browser does. A PLI for a layer's SSRC asks that layer for
// a key frame, and every layer sends RTCP sender reports: mediasoup needs
// them to move a consumer from one layer to another.
import {
  ntpTime,
  PictureLossIndication,
  RtcpPayloadSpecificFeedback,
  RtcpSenderInfo,
  RtcpSrPacket,
  type RtcpPacket,
  type RTCRtpSender,
  type RtpPacket,
  serializeSdesMid,
  serializeSdesRTPStreamID,
  type types,
} from 'msc-node';
import { randomInt } from 'node:crypto';
import { cameraLayers } from '../../client/call/sendEncodings';
import { monotonicMicros, type VideoStreamPlan, VideoSource } from './media';
import type { LayerMode } from './results';


/** One stream of a bot's camera: `rid` only in simulcast. */
export interface CameraStream extends VideoStreamPlan {
  rid: string | undefined;
  scaleResolutionDownBy: number;
  scalabilityMode: string | undefined;
}

const midUri = 'urn:ietf:params:rtp-hdrext:sdes:mid';
const ridUri = 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id';
/** Browsers send a sender report about once a second per stream. */
const senderReportEveryMs = 1000;
const videoClockRate = 90_000;

/**
 * What a bot's camera sends at `bitrate`: one stream at 30 frames a second, or
 * the product's simulcast layers scaled so that the top one sends `bitrate`
 * (at 1200 kbps exactly the product's 100, 500 and 1200 kbps).
 */
export function cameraPlan(mode: LayerMode, bitrate: number): CameraStream[] {
  if (mode === 'single') {
    return [{ rid: undefined, bitrate, framesPerSecond: 30, temporalLayers: 1, scaleResolutionDownBy: 1, scalabilityMode: undefined }];
  }
  const top = Math.max(...cameraLayers.map((layer) => layer.maxBitrate));
  return cameraLayers.map((layer) => ({
    rid: layer.rid,
    bitrate: Math.round((bitrate * layer.maxBitrate) / top),
    framesPerSecond: ('maxFramerate' in layer ? layer.maxFramerate : undefined) ?? 30,
    temporalLayers: Number(/^L1T(\d)$/.exec(layer.scalabilityMode)?.[1] ?? 1),
    scaleResolutionDownBy: layer.scaleResolutionDownBy,
    scalabilityMode: layer.scalabilityMode,
  }));
}

/** The encodings a browser's mediasoup-client gives `produce` for these streams (none for a single one). */
export function encodingsFor(plan: readonly CameraStream[]): types.RtpEncodingParameters[] | undefined {
  if (plan.length < 2) return undefined;
  return plan.map((stream) => ({
    rid: stream.rid,
    maxBitrate: stream.bitrate,
    ...(stream.framesPerSecond < 30 ? { maxFramerate: stream.framesPerSecond } : {}),
    scaleResolutionDownBy: stream.scaleResolutionDownBy,
    ...(stream.scalabilityMode ? { scalabilityMode: stream.scalabilityMode } : {}),
    priority: 'low',
    networkPriority: 'low',
  }));
}

/** Anything werift's RTP router hands RTCP to, by SSRC. */
interface RtcpRecipient {
  handleRtcpPacket(packet: RtcpPacket): void;
}

interface Layer {
  rid: string;
  ssrc: number;
  source: VideoSource;
  /** The RTP timestamp last sent, and when (monotonic µs): a sender report extrapolates from it. */
  last: { timestamp: number | undefined; atUs: number };
}

/** The layers of one simulcast producer, written past werift's sender into its transport. */
export class SimulcastCamera {
  readonly layers: Layer[];
  readonly #sender: RTCRtpSender;
  readonly #reports: NodeJS.Timeout;

  private constructor(sender: RTCRtpSender, layers: Layer[]) {
    this.#sender = sender;
    this.layers = layers;
    this.#reports = setInterval(() => this.#sendReports(), senderReportEveryMs);
  }

  /**
   * The layers of `plan` for a producer made with encodingsFor(plan): its RTP
   * parameters name the MID, the header extension ids and the payload type.
   * Each layer's source is for the caller to pace.
   */
  static start(sender: RTCRtpSender, rtpParameters: types.RtpParameters, plan: readonly CameraStream[]): SimulcastCamera {
    const extensionId = (uri: string): number => {
      const id = rtpParameters.headerExtensions?.find((extension) => extension.uri === uri)?.id;
      if (id === undefined) throw new Error(`the camera's producer has no ${uri} header extension`);
      return id;
    };
    const midId = extensionId(midUri);
    const ridId = extensionId(ridUri);
    const mid = rtpParameters.mid;
    const payloadType = rtpParameters.codecs[0]?.payloadType;
    if (mid === undefined || payloadType === undefined) throw new Error("the camera's producer has no MID or codec");
    const encodings = rtpParameters.encodings ?? [];
    const dtls = sender.dtlsTransport;
    const layers = plan.map((stream, index): Layer => {
      const rid = encodings[index]?.rid;
      if (!rid) throw new Error(`the camera's producer has no rid for layer ${index}`);
      const ssrc = randomInt(1, 2 ** 32 - 1);
      const last: Layer['last'] = { timestamp: undefined, atUs: 0 };
      const extensions = [
        { id: midId, payload: serializeSdesMid(mid) },
        { id: ridId, payload: serializeSdesRTPStreamID(rid) },
      ];
      const send = (packet: RtpPacket): void => {
        if (dtls.state !== 'connected') return;
        const { header } = packet;
        header.ssrc = ssrc;
        header.payloadType = payloadType;
        header.extensions = extensions;
        last.timestamp = header.timestamp;
        last.atUs = monotonicMicros();
        void dtls.sendRtp(packet.payload, header);
      };
      return { rid, ssrc, last, source: new VideoSource(send, stream.bitrate, stream.framesPerSecond, stream.temporalLayers) };
    });
    // RTCP for a layer's SSRC (receiver reports, PLIs) reaches the layer through werift's router.
    const table = dtls.router.ssrcTable as unknown as Record<number, RtcpRecipient>;
    for (const layer of layers) {
      table[layer.ssrc] = {
        handleRtcpPacket: (packet) => {
          if (packet.type === RtcpPayloadSpecificFeedback.type && packet.feedback.count === PictureLossIndication.count) layer.source.requestKeyFrame();
        },
      };
    }
    return new SimulcastCamera(sender, layers);
  }

  get sources(): VideoSource[] {
    return this.layers.map((layer) => layer.source);
  }

  close(): void {
    clearInterval(this.#reports);
    const table = this.#sender.dtlsTransport.router.ssrcTable as unknown as Record<number, RtcpRecipient>;
    for (const layer of this.layers) delete table[layer.ssrc];
  }

  #sendReports(): void {
    const dtls = this.#sender.dtlsTransport;
    if (dtls.state !== 'connected') return;
    const ntp = ntpTime();
    const now = monotonicMicros();
    const reports = this.layers.flatMap((layer) => {
      if (layer.last.timestamp === undefined) return [];
      const elapsed = Math.round(((now - layer.last.atUs) / 1e6) * videoClockRate);
      const senderInfo = new RtcpSenderInfo({
        ntpTimestamp: ntp,
        rtpTimestamp: (layer.last.timestamp + elapsed) >>> 0,
        packetCount: layer.source.packetsSent >>> 0,
        octetCount: layer.source.bytesSent >>> 0,
      });
      return [new RtcpSrPacket({ ssrc: layer.ssrc, senderInfo })];
    });
    if (reports.length > 0) dtls.sendRtcp(reports).catch(() => undefined);
  }
}
