// The JPEG-LS and JPEG 2000 decoders, fetched from our own origin only when a
// study needs one (about 150 and 260 KB of WebAssembly), then kept (see WasmCodecs).
import type { WasmCodec } from './dicomImage';
import { type DecodedCodecFrame, WasmCodecs, type WasmCodecModule } from './wasmCodecDecoding';

type Factory = (options: { locateFile: () => string; print: () => void; printErr: () => void }) => Promise<WasmCodecModule>;

const quiet = () => undefined; // the codecs narrate every header they read

async function instantiate(factoryModule: Promise<{ default: Factory }>, wasmUrl: Promise<{ default: string }>): Promise<WasmCodecModule> {
  const [{ default: factory }, { default: url }] = await Promise.all([factoryModule, wasmUrl]);
  return factory({ locateFile: () => url, print: quiet, printErr: quiet });
}

const loaders: Record<WasmCodec, () => Promise<WasmCodecModule>> = {
  'jpeg-ls': () => instantiate(import('@cornerstonejs/codec-charls/decodewasmjs'), import('@cornerstonejs/codec-charls/decodewasm?url')),
  'jpeg-2000': () => instantiate(import('@cornerstonejs/codec-openjpeg/decodewasmjs'), import('@cornerstonejs/codec-openjpeg/decodewasm?url')),
};

const codecs = new WasmCodecs<WasmCodec>((codec) => loaders[codec]());

export function decodeWithWasmCodec(codec: WasmCodec, bytes: Uint8Array): Promise<DecodedCodecFrame> {
  return codecs.decode(codec, bytes);
}
