// eSpeak NG's emscripten build ships without type declarations; only what bench/voices.ts calls.
declare module '@echogarden/espeak-ng-emscripten' {
  export interface ESpeakNgWorker {
    get_samplerate(): number
    set_voice(name: string): number
    set_rate(wordsPerMinute: number): void
    /** Calls `chunk` with each block of PCM16 as it is made; return 0 to go on. */
    synthesize(text: string, chunk: (audio: Int16Array, events: unknown[]) => number): void
  }
  export interface ESpeakNgModule {
    readonly eSpeakNGWorker: new () => ESpeakNgWorker
  }
  const createESpeakNg: () => Promise<ESpeakNgModule>
  export default createESpeakNg
}
