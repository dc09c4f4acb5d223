// A DICOM study in the viewer: its series (from the server's manifest) and
// each slice's pixels, fetched image by image as they are needed. The slices
// around the one shown are fetched ahead so scrolling is smooth; what is kept
// in memory is bounded, because a CT can hold hundreds of images.
import type { DicomManifest } from '../../shared/documents';
import { parseDicomImage, type DicomFrame, type ParsedDicom, type WasmCodec } from './dicomImage';
import type { DocumentsApi } from './documentsApi';
import type { DecodedCodecFrame } from './wasmCodecDecoding';

/** A slice is one frame of one image of a series. */
interface SliceAddress {
  instance: number;
  frame: number;
}

const keptImages = 96;
const keptFrames = 24;
/** How many slices on either side of the shown one to fetch ahead. */
const lookAhead = 6;

class Lru<K, V> {
  readonly #limit: number;
  readonly #entries = new Map<K, V>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.#limit) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }
}

/** Decoders that live outside this module: the browser's own for JPEG, WebAssembly codecs for JPEG-LS and JPEG 2000. */
export interface FrameDecoders {
  /** A JPEG baseline frame as RGBA. */
  jpeg(bytes: Uint8Array, rows: number, columns: number): Promise<Uint8ClampedArray>;
  codec(codec: WasmCodec, bytes: Uint8Array): Promise<DecodedCodecFrame>;
}

export class DicomStudy {
  readonly manifest: DicomManifest;
  readonly #api: DocumentsApi;
  readonly #documentId: string;
  readonly #slices: SliceAddress[][];
  readonly #images = new Lru<number, Promise<ParsedDicom>>(keptImages);
  readonly #frames = new Lru<string, Promise<DicomFrame>>(keptFrames);
  readonly #decoders: FrameDecoders;

  constructor(api: DocumentsApi, documentId: string, manifest: DicomManifest, decoders: FrameDecoders) {
    this.#api = api;
    this.#documentId = documentId;
    this.manifest = manifest;
    this.#decoders = decoders;
    this.#slices = manifest.series.map((series) =>
      series.instances.flatMap((instance) => Array.from({ length: instance.frames }, (_, frame) => ({ instance: instance.index, frame }))),
    );
  }

  sliceCount(series: number): number {
    return this.#slices[series]?.length ?? 0;
  }

  /** The slice's pixels, fetching and decoding as needed; slices nearby are fetched ahead. */
  frame(series: number, slice: number): Promise<DicomFrame> {
    const address = this.#slices[series]?.[slice];
    if (!address) return Promise.reject(new RangeError(`no slice ${slice} in series ${series}`));
    for (let offset = 1; offset <= lookAhead; offset++) {
      for (const neighbour of [this.#slices[series]?.[slice + offset], this.#slices[series]?.[slice - offset]]) {
        if (neighbour) void this.#image(neighbour.instance).catch(() => undefined);
      }
    }
    const key = `${address.instance}:${address.frame}`;
    let frame = this.#frames.get(key);
    if (!frame) {
      frame = this.#decode(address);
      this.#frames.set(key, frame);
      // A failure is not kept: asking again tries again.
      frame.catch(() => this.#frames.delete(key));
    }
    return frame;
  }

  async #decode(address: SliceAddress): Promise<DicomFrame> {
    const source = (await this.#image(address.instance)).frame(address.frame);
    if (source.kind === 'ready') return source.frame;
    if (source.kind === 'codec') return source.finish(await this.#decoders.codec(source.codec, source.bytes));
    const instance = this.manifest.series.flatMap((series) => series.instances).find((candidate) => candidate.index === address.instance);
    return source.finish(await this.#decoders.jpeg(source.bytes, instance?.rows ?? 0, instance?.columns ?? 0));
  }

  #image(index: number): Promise<ParsedDicom> {
    let image = this.#images.get(index);
    if (!image) {
      image = this.#api.bytes(this.#documentId, index).then((bytes) => parseDicomImage(new Uint8Array(bytes)));
      this.#images.set(index, image);
      image.catch(() => this.#images.delete(index));
    }
    return image;
  }
}
