// Electron main-process entry. All logic lives in rooms under src-main/; this only starts the shell.
import { startElectronApp } from './electron/electron-app.js'

startElectronApp()
