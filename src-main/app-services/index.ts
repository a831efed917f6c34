export { createAppServices, type AppServices, type AppServicesOptions } from './app-services.js'
export { memorySecretStore, type SecretStore } from './settings-store.js'
