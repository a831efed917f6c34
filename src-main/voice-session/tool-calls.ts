/**
 * Runs the function calls of one finished response with the app's tool handlers. Every call gets
 * an output, so the model always hears back: a missing tool or a handler that throws becomes a
 * JSON `{ "error": … }` output rather than a stuck turn.
 */
import { functionCallItemSchema, type FunctionCallItem, type ReceivedEventOf } from '../voicelive-protocol/events.js'
import type { ToolHandler } from './types.js'

export interface ToolOutput {
  readonly call_id: string
  readonly output: string
}

/** The function calls a response asked for (other output items are messages). */
export function functionCallsOf(response: ReceivedEventOf<'response.done'>['response']): FunctionCallItem[] {
  return response.output.flatMap((item) => {
    const call = functionCallItemSchema.safeParse(item)
    return call.success ? [call.data] : []
  })
}

/** The outputs in call order (handlers run one after another, as the model asked for them). */
export async function runToolCalls(
  calls: readonly FunctionCallItem[],
  tools: Readonly<Record<string, ToolHandler>>,
): Promise<ToolOutput[]> {
  const outputs: ToolOutput[] = []
  for (const call of calls) {
    const handler = tools[call.name]
    let output: string
    try {
      output = handler
        ? await handler(call.arguments, call.name)
        : JSON.stringify({ error: `The tool "${call.name}" is not available in this app.` })
    } catch (error) {
      output = JSON.stringify({ error: error instanceof Error ? error.message : String(error) })
    }
    outputs.push({ call_id: call.call_id, output })
  }
  return outputs
}
