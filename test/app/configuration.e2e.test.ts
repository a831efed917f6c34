/**
 * The configuration panel edits the preset the session really uses: pick a scenario, change the
 * instructions, Start at once, and the session.update on the wire carries the change. The panel is
 * locked while the session runs, and a proactive greeting makes the assistant speak first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, turns, waitForStatus, waitUntil, type AppUnderTest } from './app-page.js'

interface ProtocolRow {
  direction: string
  type: string
  summary: { session?: { instructions?: string; turn_detection?: { type?: string } | null } }
}

describe('the configuration panel', () => {
  let app: AppUnderTest

  beforeAll(async () => {
    app = await openApp({ engine: { script: ['Welcome! How can I help you today?'] } })
  })
  afterAll(async () => app?.close())

  it('edits the current preset, which the next session uses', async () => {
    const { page, wire } = app
    await page.getByLabel('Scenario').selectOption('greeter')
    const instructions = page.getByLabel('Response instructions')
    await waitUntil(
      () => instructions.inputValue(),
      (text) => text.includes('receptionist'),
      'the greeter preset',
    )
    expect(await page.getByLabel('Proactive greeting (the assistant speaks first)').isChecked()).toBe(true)

    await instructions.fill('Talk like a friendly pirate.')
    await page.getByRole('button', { name: 'Start', exact: true }).click() // no pause: the edit must still apply
    await waitForStatus(page, /Live/)

    const update = (wire.of('session.protocol-event') as ProtocolRow[]).find(
      (e) => e.direction === 'client' && e.type === 'session.update',
    )
    expect(update?.summary.session?.instructions).toBe('Talk like a friendly pirate.')
    expect(update?.summary.session?.turn_detection?.type).toBe('server_vad')

    // Locked while live.
    expect(await instructions.isDisabled()).toBe(true)
    expect(await page.getByLabel('Scenario').isDisabled()).toBe(true)

    // The greeter speaks first, with nobody talking.
    const shown = await waitUntil(
      () => turns(page),
      (all) => all.some((t) => t.role === 'assistant' && t.status === 'done'),
      'the proactive greeting',
    )
    expect(shown.map((t) => t.role)).toEqual(['assistant'])
    expect(shown[0]?.text).toBe('Welcome! How can I help you today?')

    await page.getByRole('button', { name: 'End', exact: true }).click()
    await waitForStatus(page, /Ready/)
    expect(await instructions.isEnabled()).toBe(true)
    // The edit survived the session: it is the current preset.
    expect(await instructions.inputValue()).toBe('Talk like a friendly pirate.')
  })
})

describe('a Foundry agent as the target', () => {
  let app: AppUnderTest

  beforeAll(async () => {
    app = await openApp()
  })
  afterAll(async () => app?.close())

  it('needs a name and a project, then connects without sending instructions', async () => {
    const { page, wire } = app
    await page.getByRole('radio', { name: 'Foundry agent' }).click()
    await page.getByLabel('Agent name').waitFor({ timeout: 5_000 })
    expect(await page.getByLabel('Response instructions').isDisabled()).toBe(true)

    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await waitForStatus(page, /Error/)
    expect(await page.getByRole('status', { name: 'Connection' }).innerText()).toContain('name and its project name')

    await page.getByLabel('Agent name').fill('helpdesk')
    await page.getByLabel('Project').fill('contoso-support')
    // Typed quickly, one field after the other: both must reach main, and main must have applied
    // them (its answer to settings.update carries them) before Start reads the settings.
    await waitUntil(
      async () => (wire.of('settings.update') as { target?: { name?: string; project?: string } }[]).at(-1)?.target,
      (target) => target?.name === 'helpdesk' && target.project === 'contoso-support',
      'the agent target to be sent',
      5_000,
    )
    await waitUntil(
      async () =>
        (wire.of('result') as { ok?: boolean; value?: { target?: { name?: string; project?: string } } }[]).some(
          (result) => result.value?.target?.name === 'helpdesk' && result.value.target.project === 'contoso-support',
        ),
      (applied) => applied,
      'main to have saved the agent target',
      5_000,
    )
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await waitForStatus(page, /Live/)
    const update = (wire.of('session.protocol-event') as ProtocolRow[]).find(
      (e) => e.direction === 'client' && e.type === 'session.update',
    )
    expect(update?.summary.session).toBeDefined()
    expect(update?.summary.session).not.toHaveProperty('instructions')
    await page.getByRole('button', { name: 'End', exact: true }).click()
  })
})
