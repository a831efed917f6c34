/**
 * Server events exactly as the service documentation shows them for the dated GA versions
 * (MicrosoftDocs/azure-ai-docs, voice-live-api-reference-2026-04-10.md, "Event Structure"
 * examples; 2025-10-01 documents the same shapes), arranged into one spoken turn with consistent
 * ids. The agent variant's `session` is what an agent session reports: `model: null` and an `agent`
 * object (fields from the official SDK's agentConfigDeserializer, @azure/ai-voicelive 1.1.0).
 */

/** The documentation's audio example (a 44-byte WAV header, as base64). */
export const DOCUMENTED_AUDIO = 'UklGRiQAAABXQVZFZm10IBAAAAABAAEARKwAAIhYAQACABAAZGF0YQAAAAA='
export const DOCUMENTED_ANSWER = "Hello! I'm doing well, thank you for asking. How can I help you today?"
export const DOCUMENTED_QUESTION = "What's the weather like today?"

const modelSession = {
  id: 'sess_ABC123DEF456',
  object: 'realtime.session',
  model: 'gpt-realtime',
  modalities: ['text', 'audio'],
  instructions: 'You are a helpful assistant.',
  voice: { type: 'openai', name: 'alloy' },
  input_audio_format: 'pcm16',
  output_audio_format: 'pcm16',
  input_audio_sampling_rate: 24000,
  turn_detection: { type: 'azure_semantic_vad', threshold: 0.5, prefix_padding_ms: 420, silence_duration_ms: 500 },
  temperature: 0.8,
  max_response_output_tokens: 'inf',
}

const agentSession = {
  ...modelSession,
  model: null,
  agent: {
    type: 'agent',
    name: 'a1',
    description: 'Answers questions about the weather.',
    agent_id: 'asst_7rX3kq',
    thread_id: 'thread_Q2mB9w',
  },
}

const ref = { response_id: 'resp_ABC123', item_id: 'item_DEF456', output_index: 0, content_index: 0 }
const assistantItem = {
  id: 'item_DEF456',
  object: 'realtime.item',
  type: 'message',
  status: 'completed',
  role: 'assistant',
  content: [{ type: 'text', text: DOCUMENTED_ANSWER }],
}

/** session.created (model or agent session) and the documentation's session.updated. */
export function documentedHandshake(kind: 'model' | 'agent'): Record<string, unknown>[] {
  return [
    { type: 'session.created', session: kind === 'model' ? modelSession : agentSession },
    {
      type: 'session.updated',
      session: {
        id: 'sess_ABC123DEF456',
        ...(kind === 'agent' && { model: null, agent: agentSession.agent }),
        voice: { type: 'azure-custom', name: 'my-voice', endpoint_id: '12345678-1234-1234-1234-123456789012' },
        temperature: 0.7,
        avatar: { character: 'lisa', customized: false },
      },
    },
  ]
}

/** The user's speech, its transcript, and the spoken answer, in the order the service sends them. */
export function documentedTurn(): Record<string, unknown>[] {
  return [
    { type: 'input_audio_buffer.speech_started', audio_start_ms: 0, item_id: 'item_GHI789' },
    { type: 'input_audio_buffer.speech_stopped', audio_end_ms: 1200, item_id: 'item_GHI789' },
    { type: 'input_audio_buffer.committed', previous_item_id: 'item_ABC123', item_id: 'item_GHI789' },
    {
      type: 'conversation.item.created',
      item: {
        id: 'item_GHI789',
        type: 'message',
        status: 'completed',
        role: 'user',
        content: [{ type: 'input_audio', audio: null, transcript: DOCUMENTED_QUESTION }],
      },
    },
    { type: 'rate_limits.updated', rate_limits: [{ name: 'tokens', limit: 0, remaining: 0, reset_seconds: 0 }] },
    {
      type: 'response.created',
      response: {
        id: 'resp_ABC123',
        object: 'realtime.response',
        status: 'in_progress',
        status_details: null,
        output: [],
        usage: { total_tokens: 0, input_tokens: 0, output_tokens: 0 },
      },
    },
    {
      type: 'response.output_item.added',
      response_id: 'resp_ABC123',
      output_index: 0,
      item: { ...assistantItem, status: 'in_progress', content: [] },
    },
    { type: 'response.content_part.added', ...ref, part: { type: 'text', text: '' } },
    { type: 'response.audio.delta', ...ref, delta: DOCUMENTED_AUDIO },
    { type: 'response.audio_transcript.delta', ...ref, delta: "Hello! I'm doing" },
    {
      type: 'conversation.item.input_audio_transcription.completed',
      item_id: 'item_GHI789',
      content_index: 0,
      transcript: DOCUMENTED_QUESTION,
    },
    { type: 'response.audio.done', ...ref },
    { type: 'response.audio_transcript.done', ...ref, transcript: DOCUMENTED_ANSWER },
    { type: 'response.content_part.done', ...ref, part: { type: 'text', text: DOCUMENTED_ANSWER } },
    { type: 'response.output_item.done', response_id: 'resp_ABC123', output_index: 0, item: assistantItem },
    {
      type: 'response.done',
      response: {
        id: 'resp_ABC123',
        object: 'realtime.response',
        status: 'completed',
        status_details: null,
        output: [assistantItem],
        usage: {
          total_tokens: 87,
          input_tokens: 52,
          output_tokens: 35,
          input_token_details: { cached_tokens: 0, text_tokens: 45, audio_tokens: 7 },
          output_token_details: { text_tokens: 15, audio_tokens: 20 },
        },
      },
    },
  ]
}
