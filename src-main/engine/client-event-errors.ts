/**
 * The service's `error` event for a client event it refuses: the same codes, params and wording
 * Voice Live uses, so a client that handles the real service's refusals handles the engine's.
 */
import type { z } from 'zod'
import type { KnownClientEvent, ParsedEvent } from '../voicelive-protocol/events.js'

export interface ErrorDetails {
  readonly type?: string
  readonly code: string | null
  readonly message: string
  readonly param?: string | null
}

/** The service's error for an event it cannot take, by why it was refused. */
export function invalidEventError(parsed: Extract<ParsedEvent<KnownClientEvent>, { kind: 'invalid' }>): ErrorDetails {
  switch (parsed.reason) {
    case 'not-json':
      return { code: 'invalid_json', message: 'The event could not be parsed as JSON.' }
    case 'not-object':
      return { code: 'invalid_json', message: 'An event must be a JSON object.' }
    case 'no-type':
      return { code: 'missing_required_parameter', param: 'type', message: "Missing required parameter: 'type'." }
    case 'bad-shape':
      return zodIssueToError(parsed.type ?? 'event', parsed.issues ?? [])
  }
}

const zodIssueToError = (type: string, issues: readonly z.core.$ZodIssue[]): ErrorDetails => {
  const issue = issues[0]
  const param = issue?.path.length ? issue.path.join('.') : null
  if (issue?.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    return { code: 'missing_required_parameter', param, message: `Missing required parameter: '${param}'.` }
  }
  if (issue?.code === 'invalid_type') {
    return { code: 'invalid_type', param, message: `Invalid type for '${param}': ${issue.message}.` }
  }
  return { code: 'invalid_value', param, message: `Invalid value for '${param ?? type}': ${issue?.message ?? 'invalid'}.` }
}
