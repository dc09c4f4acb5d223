// The codec packages ship no types; their Emscripten factories, as we use them.
declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  import type { WasmCodecModule } from './wasmCodecDecoding';
  const factory: (options?: { locateFile?: () => string; print?: () => void; printErr?: () => void }) => Promise<WasmCodecModule>;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  import type { WasmCodecModule } from './wasmCodecDecoding';
  const factory: (options?: { locateFile?: () => string; print?: () => void; printErr?: () => void }) => Promise<WasmCodecModule>;
  export default factory;
}
