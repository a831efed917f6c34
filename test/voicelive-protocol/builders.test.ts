/**
 * URL, header, session-config and client-event builders against the official SDK
 * (@azure/ai-voicelive 1.1.0) as the conformance oracle: same intent, same JSON / URL.
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { BUILT_IN_PRESETS, findBuiltInPreset } from '../../src-shared/preset/built-in-presets.js'
import { presetSchema } from '../../src-shared/preset/preset.js'
import {
  buildHeaders,
  buildRealtimeUrl,
  ConfigError,
  DEFAULT_API_VERSION,
  isLoopbackEndpoint,
  type Target,
} from '../../src-main/voicelive-protocol/connection-url.js'
import { serializeEvent, type KnownClientEvent } from '../../src-main/voicelive-protocol/events.js'
import { sessionConfigFromPreset } from '../../src-main/voicelive-protocol/preset-session-config.js'
import { errorFromClose, errorFromUpgradeStatus } from '../../src-main/voicelive-protocol/session-errors.js'
import { sdkModels, wireJson } from './sdk-oracle.js'

const require = createRequire(import.meta.url)
const { CredentialHandler } = require(
  path.join(path.dirname(require.resolve('@azure/ai-voicelive')), 'auth', 'credentialHandler.js'),
) as {
  CredentialHandler: new (credential: unknown) => {
    getWebSocketUrl(
      endpoint: string,
      apiVersion: string,
      model?: string,
      agent?: Record<string, string>,
    ): Promise<string>
    getAuthHeaders(): Promise<Record<string, string>>
  }
}

const lower = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]))

describe('realtime URL', () => {
  const cases: { endpoint: string; target: Target; sdkModel?: string; sdkAgent?: Record<string, string> }[] = [
    {
      endpoint: 'https://res.services.ai.azure.com',
      target: { kind: 'model', model: 'gpt-realtime' },
      sdkModel: 'gpt-realtime',
    },
    {
      endpoint: 'https://res.cognitiveservices.azure.com/',
      target: { kind: 'model', model: 'gpt-4.1' },
      sdkModel: 'gpt-4.1',
    },
    {
      endpoint: 'https://res.services.ai.azure.com/some/pasted/path',
      target: { kind: 'agent', agentName: 'a1', projectName: 'p1', agentVersion: '3' },
      sdkAgent: { agentName: 'a1', projectName: 'p1', agentVersion: '3' },
    },
    {
      endpoint: 'https://res.services.ai.azure.com',
      target: { kind: 'agent', agentName: 'a1', projectName: 'p1' },
      sdkAgent: { agentName: 'a1', projectName: 'p1' },
    },
  ]
  for (const { endpoint, target, sdkModel, sdkAgent } of cases) {
    it(`matches the SDK for ${endpoint} (${target.kind}), minus the SDK's api-key query parameter`, async () => {
      const ours = buildRealtimeUrl({ endpoint, target, apiVersion: '2025-10-01' })
      const sdkUrl = new URL(
        await new CredentialHandler({ key: 'k' }).getWebSocketUrl(endpoint, '2025-10-01', sdkModel, sdkAgent),
      )
      expect(sdkUrl.searchParams.get('api-key')).toBe('k') // the SDK leaks the key into the URL; we must not
      sdkUrl.searchParams.delete('api-key')
      expect(ours.toString()).toBe(sdkUrl.toString())
    })
  }

  it('maps every scheme, pins the default GA version, and keeps credentials out', () => {
    const model: Target = { kind: 'model', model: 'gpt-realtime' }
    expect(buildRealtimeUrl({ endpoint: 'http://127.0.0.1:8080', target: model }).toString()).toBe(
      `ws://127.0.0.1:8080/voice-live/realtime?api-version=${DEFAULT_API_VERSION}&model=gpt-realtime`,
    )
    expect(buildRealtimeUrl({ endpoint: 'ws://localhost:9/', target: model }).protocol).toBe('ws:')
    expect(buildRealtimeUrl({ endpoint: 'wss://r.services.ai.azure.com', target: model }).protocol).toBe('wss:')
    expect(DEFAULT_API_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(() => buildRealtimeUrl({ endpoint: 'https://r.services.ai.azure.com?api-key=abc', target: model })).toThrow(
      ConfigError,
    )
    expect(() => buildRealtimeUrl({ endpoint: 'not a url', target: model })).toThrow(/is not a URL/)
    expect(() => buildRealtimeUrl({ endpoint: 'https://r.x', target: { kind: 'model', model: ' ' } })).toThrow(
      /No model/,
    )
  })

  it('knows which endpoints are this machine', () => {
    expect(['ws://127.0.0.1:1', 'http://localhost:2', 'ws://[::1]:3'].map(isLoopbackEndpoint)).toEqual([
      true,
      true,
      true,
    ])
    expect(['https://r.services.ai.azure.com', 'ws://127.0.0.1.evil.com', 'garbage'].map(isLoopbackEndpoint)).toEqual([
      false,
      false,
      false,
    ])
  })
})

describe('upgrade headers', () => {
  it('match the SDK for an API key and a bearer token (request id and user agent are ours)', async () => {
    const strip = (headers: Record<string, string>) => {
      const { ['x-ms-client-request-id']: _id, ['user-agent']: _agent, ...rest } = lower(headers)
      return rest
    }
    expect(strip(buildHeaders({ kind: 'api-key', key: 'k1' }))).toEqual(
      strip(await new CredentialHandler({ key: 'k1' }).getAuthHeaders()),
    )
    const tokenCredential = { getToken: async () => ({ token: 't1', expiresOnTimestamp: Date.now() + 3_600_000 }) }
    expect(strip(buildHeaders({ kind: 'bearer', token: 't1' }))).toEqual(
      strip(await new CredentialHandler(tokenCredential).getAuthHeaders()),
    )
    expect(buildHeaders({ kind: 'none' })['x-ms-client-request-id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
    expect(Object.keys(buildHeaders({ kind: 'none' }))).not.toContain('api-key')
  })
})

describe('client events', () => {
  const pairs: [KnownClientEvent, Record<string, unknown>][] = [
    [
      { type: 'conversation.item.truncate', item_id: 'i1', content_index: 0, audio_end_ms: 1234 },
      { type: 'conversation.item.truncate', itemId: 'i1', contentIndex: 0, audioEndInMs: 1234 },
    ],
    [
      { type: 'response.cancel', response_id: 'r1' },
      { type: 'response.cancel', responseId: 'r1' },
    ],
    [{ type: 'response.create' }, { type: 'response.create' }],
    [
      { type: 'response.create', response: { instructions: 'Greet the caller.' } },
      { type: 'response.create', response: { instructions: 'Greet the caller.' } },
    ],
    [
      { type: 'input_audio_buffer.append', audio: 'AAEC' },
      { type: 'input_audio_buffer.append', audio: 'AAEC' },
    ],
    [{ type: 'input_audio_buffer.commit' }, { type: 'input_audio_buffer.commit' }],
    [{ type: 'input_audio_buffer.clear' }, { type: 'input_audio_buffer.clear' }],
    [
      { type: 'conversation.item.create', item: { type: 'function_call_output', call_id: 'c1', output: '{"ok":1}' } },
      { type: 'conversation.item.create', item: { type: 'function_call_output', callId: 'c1', output: '{"ok":1}' } },
    ],
    [
      {
        type: 'conversation.item.create',
        item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      },
      {
        type: 'conversation.item.create',
        item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      },
    ],
    [
      {
        type: 'conversation.item.create',
        item: { type: 'message', role: 'assistant', content: [{ type: 'text', text: 'hello' }] },
      },
      {
        type: 'conversation.item.create',
        item: { type: 'message', role: 'assistant', content: [{ type: 'text', text: 'hello' }] },
      },
    ],
  ]
  for (const [ours, sdk] of pairs) {
    it(`${ours.type} serializes like the SDK`, () => {
      expect(JSON.parse(serializeEvent(ours))).toEqual(wireJson(sdkModels.clientEventUnionSerializer(sdk)))
    })
  }
})

describe('session config from a preset', () => {
  it('the default preset gives the same session.update as the SDK for the same settings', () => {
    const preset = findBuiltInPreset('assistant')!
    const ours = sessionConfigFromPreset(preset, { kind: 'model', model: 'gpt-realtime' })
    const sdk = sdkModels.requestSessionSerializer({
      modalities: ['text', 'audio'],
      instructions: preset.instructions,
      voice: { type: 'azure-standard', name: 'en-US-Ava:DragonHDLatestNeural', temperature: 0.8 },
      inputAudioFormat: 'pcm16',
      inputAudioSamplingRate: 24_000,
      outputAudioFormat: 'pcm16',
      turnDetection: {
        type: 'azure_semantic_vad',
        threshold: 0.3,
        prefixPaddingInMs: 200,
        silenceDurationInMs: 300,
        removeFillerWords: true,
        endOfUtteranceDetection: { model: 'semantic_detection_v1', thresholdLevel: 'default', timeoutInMs: 1000 },
        createResponse: true,
        interruptResponse: true,
      },
      inputAudioNoiseReduction: { type: 'azure_deep_noise_suppression' },
      inputAudioEchoCancellation: { type: 'server_echo_cancellation' },
      inputAudioTranscription: { model: 'azure-speech', language: 'en-US' },
    })
    expect(wireJson(ours)).toEqual(wireJson(sdk))
  })

  it('maps custom voices, sampling, tokens and tools like the SDK; push-to-talk sends turn_detection null', () => {
    const preset = presetSchema.parse({
      name: 'custom',
      instructions: 'Be brief.',
      voice: { type: 'azure-custom', name: 'MyVoice', endpointId: 'ep-1', rate: '1.2' },
      turnDetection: { type: 'none' },
      inputTranscription: null,
      temperature: 0.7,
      maxOutputTokens: 300,
      tools: [
        {
          type: 'function',
          name: 'get_time',
          description: 'Current time',
          parameters: { type: 'object', properties: {} },
        },
      ],
      inputSampleRate: 16_000,
    })
    const ours = sessionConfigFromPreset(preset, { kind: 'model', model: 'gpt-4.1' })
    const sdk = sdkModels.requestSessionSerializer({
      modalities: ['text', 'audio'],
      instructions: 'Be brief.',
      voice: { type: 'azure-custom', name: 'MyVoice', endpointId: 'ep-1', rate: '1.2' },
      inputAudioFormat: 'pcm16',
      inputAudioSamplingRate: 16_000,
      outputAudioFormat: 'pcm16',
      turnDetection: null,
      inputAudioNoiseReduction: null,
      inputAudioEchoCancellation: null,
      inputAudioTranscription: null,
      temperature: 0.7,
      maxResponseOutputTokens: 300,
      tools: [
        {
          type: 'function',
          name: 'get_time',
          description: 'Current time',
          parameters: { type: 'object', properties: {} },
        },
      ],
      toolChoice: 'auto',
    })
    expect(wireJson(ours)).toEqual(wireJson(sdk))
    expect(ours.turn_detection).toBeNull()
  })

  it('agent mode sends no instructions, tools or sampling settings', () => {
    const preset = { ...findBuiltInPreset('assistant')!, temperature: 0.9 }
    const config = sessionConfigFromPreset(preset, { kind: 'agent', agentName: 'a', projectName: 'p' })
    expect(config).not.toHaveProperty('instructions')
    expect(config).not.toHaveProperty('temperature')
    expect(config).not.toHaveProperty('tools')
  })

  it('refuses combinations the service rejects, with a reason', () => {
    const openaiVoice = findBuiltInPreset('openai-voice')!
    expect(() => sessionConfigFromPreset(openaiVoice, { kind: 'model', model: 'gpt-4.1' })).toThrow(
      /OpenAI voice "marin" needs a gpt-realtime model/,
    )
    expect(() =>
      sessionConfigFromPreset(openaiVoice, { kind: 'model', model: 'gpt-realtime-2.1-datazone' }),
    ).not.toThrow()
  })

  it('every built-in preset produces an explicit interrupt_response (or push-to-talk)', () => {
    for (const preset of BUILT_IN_PRESETS) {
      const config = sessionConfigFromPreset(preset, { kind: 'model', model: preset.model ?? 'gpt-realtime' })
      if (preset.turnDetection.type === 'none') expect(config.turn_detection).toBeNull()
      else expect(typeof config.turn_detection?.interrupt_response).toBe('boolean')
    }
  })
})

describe('error mapping', () => {
  it('gives each failure its own kind', () => {
    expect([401, 403, 404, 429, 400, 503].map((status) => errorFromUpgradeStatus(status).kind)).toEqual([
      'auth',
      'auth',
      'not_found',
      'rate_limit',
      'config',
      'service',
    ])
    expect([1008, 4008, 1011, 1006, 1009].map((code) => errorFromClose(code, '').kind)).toEqual([
      'policy',
      'duration_cap',
      'service',
      'network',
      'protocol',
    ])
  })
})
