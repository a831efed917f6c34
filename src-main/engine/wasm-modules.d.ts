// The @echogarden WASM packages ship plain emscripten factories without type declarations.
// Only the exports the engine calls are declared here.

declare module '@echogarden/fvad-wasm' {
  interface FvadModule {
    readonly HEAP16: Int16Array
    _malloc(bytes: number): number
    _free(pointer: number): void
    _fvad_new(): number
    _fvad_free(handle: number): void
    _fvad_set_mode(handle: number, mode: number): number
    _fvad_set_sample_rate(handle: number, rate: number): number
    _fvad_process(handle: number, frame: number, length: number): number
  }
  const createFvad: () => Promise<FvadModule>
  export default createFvad
}

declare module '@echogarden/speex-resampler-wasm' {
  interface SpeexModule {
    readonly HEAP16: Int16Array
    readonly HEAP32: Int32Array
    readonly HEAPU32: Uint32Array
    _malloc(bytes: number): number
    _free(pointer: number): void
    _speex_resampler_init(channels: number, inRate: number, outRate: number, quality: number, errorPointer: number): number
    _speex_resampler_destroy(state: number): void
    _speex_resampler_get_input_latency(state: number): number
    _speex_resampler_skip_zeros(state: number): number
    _speex_resampler_process_int(
      state: number,
      channel: number,
      input: number,
      inputLengthPointer: number,
      output: number,
      outputLengthPointer: number,
    ): number
  }
  const createSpeex: () => Promise<SpeexModule>
  export default createSpeex
}
