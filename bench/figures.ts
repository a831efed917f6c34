/**
 * Every figure each benchmark prints, in one place, keyed by the line's `bench` field. A benchmark
 * prints through `emitFigure`, which accepts only the names listed here, and the quick run's test
 * (test/bench/bench-quick.test.ts) checks that each listed figure was printed with finite numbers:
 * a benchmark that stops printing a figure, or prints one not listed here, fails CI.
 */
export const FIGURES = {
  audio: [
    'context_rate',
    'context_output_latency',
    'load_average_1m_start',
    'capture_to_bridge',
    'capture_oldest_sample_to_bridge',
    'bridge_to_speaker',
    'bridge_to_speaker_first_chunk',
    'underruns_jitter_0ms',
    'underruns_jitter_20ms',
    'underruns_jitter_50ms',
    'barge_in',
    'barge_in_reply_round_trip',
    'cpu_renderer',
    'cpu_node_main_side',
    'cpu_chromium_audio_service',
    'cpu_chromium_network_service',
    'cpu_pipeline',
    'load_average_1m_end',
  ],
  engine: [
    'turn_latency_end_of_speech_to_first_audio',
    'speech_stopped_to_first_audio',
    'first_turn_speech_stopped_to_first_audio',
    'cpu_per_audio_second_per_session',
    'engine_event_loop_delay',
    // wer.bench.ts: recognition through a real engine session
    'wer',
    'intent_match',
  ],
  session: ['connect_to_live', 'speech_started_to_truncate_on_wire', 'audio_delta_socket_to_sink'],
  'main-loop': [
    'main_event_loop_delay',
    'main_event_loop_delay_idle',
    'main_cpu',
    'sync_writes_during_audio',
    'protocol_events_to_renderer',
    'playback_chunks_to_renderer',
    'audio_format_per_start',
  ],
  'push-to-talk': [
    'keydown_to_gate_open',
    'keydown_to_clear_on_wire',
    'keydown_to_first_append_on_wire',
    'keyup_to_commit_on_wire',
    'keyup_to_commit_minus_tail',
  ],
} as const

export type BenchName = keyof typeof FIGURES
export type FigureName<B extends BenchName> = (typeof FIGURES)[B][number]

/** A figure's numbers: one value, or the median and 99th percentile of many. */
export type FigureNumbers = { readonly value: number } | { readonly p50: number; readonly p99: number }

/** One JSON line on stdout: `{"bench","name","setting","unit",<numbers>,<extra>}`. */
export function emitFigure<B extends BenchName>(
  bench: B,
  name: FigureName<B>,
  setting: string,
  unit: string,
  numbers: FigureNumbers,
  extra: Readonly<Record<string, unknown>> = {},
): void {
  process.stdout.write(`${JSON.stringify({ bench, name, setting, unit, ...numbers, ...extra })}\n`)
}
