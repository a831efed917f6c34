/**
 * A private Xvfb display for headed browser tests, so they need no DISPLAY from the caller.
 * Xvfb picks a free display number itself and reports it through -displayfd.
 */
import { spawn, type ChildProcess } from 'node:child_process'

export interface VirtualDisplay {
  readonly display: string
  stop(): Promise<void>
}

export function startXvfb(screen = '1280x800x24', timeoutMs = 10_000): Promise<VirtualDisplay> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', screen, '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`Xvfb did not report a display within ${timeoutMs} ms`))
    }, timeoutMs)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`could not start Xvfb (is the xvfb package installed?): ${error.message}`))
    })
    const displayFd = child.stdio[3]
    displayFd?.once('data', (data: Buffer) => {
      clearTimeout(timer)
      const display = `:${data.toString().trim()}`
      resolve({
        display,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done()
            child.once('exit', () => done())
            child.kill('SIGTERM')
          }),
      })
    })
  })
}
